"""Direction of the context (past or future), which places weekdays, months and dates without a
year before or after the DCT (guidelines G5.4).
"""

from __future__ import annotations

import re

from harness.dates.rules.lexicon import UNITS, _clean

# --------------------------------------------------------------------------------------------
# Direction of the context (past / future), for weekdays, months and dates without a year

_FUTURE_WORDS = {
    "will", "'ll", "shall", "won't", "wo", "scheduled", "schedule", "due", "expected", "expects",
    "expect", "plans", "plan", "planned", "planning", "slated", "upcoming", "coming", "next",
    "intends", "intend", "aims", "aim", "tomorrow", "hopes", "forthcoming", "pending",
    "set", "poised", "prepares", "preparing", "awaits", "awaited", "await", "effective",
}  # fmt: skip
_PAST_WORDS = {
    "was", "were", "had", "did", "has", "have", "ago", "been", "earlier", "previously",
    "yesterday", "already", "said", "began", "met", "left", "came", "went", "took", "gave",
    "made", "told", "held", "saw", "won", "lost", "spoke", "wrote", "fell", "rose", "sold",
    "bought", "became", "brought", "found", "got", "knew", "led", "paid", "sent", "struck",
    "thought", "kept", "broke", "chose", "drove", "flew", "grew", "shot", "stood", "threw",
    "wore", "ran", "sat", "felt", "meant", "heard", "ate", "fought", "hit", "quit",
    "swore", "forbade", "withdrew", "overtook", "undertook", "sank", "shook", "stole", "spent",
    "sought", "taught", "caught", "built", "dealt", "hung", "lit", "slid", "split", "spread",
    "fled", "bled", "bid", "cut", "shut", "let", "beat", "arose", "awoke", "dug",
    "rang", "sang", "swam", "drank", "forgot", "froze", "hid", "rode", "woke",
    "didn't", "wasn't", "weren't", "hadn't", "hasn't", "haven't", "ended", "opened",
}  # fmt: skip
_NOT_PAST_ED = {
    "scheduled", "expected", "planned", "slated", "need", "needed", "proposed", "intended",
    "anticipated", "speed", "feed", "seed", "indeed", "hundred", "red", "bed", "shed", "united",
    "based", "related", "led", "bred", "wed", "fred", "ted", "ned", "ed", "reed", "deed",
    "breed", "greed", "succeed", "exceed", "proceed", "agreed", "tied", "embed", "bleed",
    "heed", "weed", "alleged", "supposed", "so-called", "called", "named", "armed", "advanced",
    "limited", "detailed", "concerned", "involved", "assumed", "skilled", "married",
}  # fmt: skip
_BE_FORMS = {"be", "being", "is", "are", "am", "'s", "'re", "get", "gets"}
_DETERMINERS = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that",
    "these", "those", "some", "any", "each", "every", "all", "both", "no", "which", "what",
    "whom", "who", "date", "be", "have", "about", "around", "mid",
}  # fmt: skip
_WORD_RE = re.compile(r"[\w'’]+(?:-[\w'’]+)*|[;:!?()\[\]\"“”]|—|–|,")


def _last_words(s: str, end: int, n: int) -> list[str]:
    """The last ``n`` words of ``s[:end]`` (tokens of :data:`_WORD_RE`, curly apostrophes made
    straight), reading only as much before ``end`` as that needs.

    A window that starts inside a word yields the word's tail first, and the words after it as a
    reading from the start would; so a window with more than ``n`` words holds the last ``n``.
    It grows until it has or reaches the start: a sentence of a thousand dates is not read once
    per date.
    """
    width = 16 * n
    while True:
        start = max(0, end - width)
        found = _WORD_RE.findall(s, start, end)
        if start == 0 or len(found) > n:
            return [w.replace("’", "'") for w in found[len(found) - min(n, len(found)) :]]
        width *= 4


def _first_words(s: str, start: int, n: int) -> list[str]:
    """The first ``n`` words of ``s[start:]``, as :func:`_last_words` reads them, reading only as much after ``start`` as that needs (a window
    that ends inside a word cuts it, so only the words before its last one are kept)."""
    width = 16 * n
    while True:
        end = min(len(s), start + width)
        found = _WORD_RE.findall(s, start, end)
        if end == len(s) or len(found) > n:
            return [w.replace("’", "'") for w in found[:n]]
        width *= 4


def _is_past_word(w: str) -> bool:
    lw = w.lower()
    if lw in _PAST_WORDS:
        return True
    return lw.endswith("ed") and len(lw) > 4 and lw not in _NOT_PAST_ED and lw.isalpha()


# "could"/"can" are left out: "could not be located Wednesday" is past as often as not.
_MODALS = {"would", "must", "should", "may", "might"}


def _cue(words: list[str], i: int) -> str | None:
    """The direction a word of the context signals, or None (not a tense cue)."""
    w = words[i]
    lw = w.lower()
    prev = words[i - 1].lower() if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    lnxt = nxt.lower()
    if lw in {"set", "due", "poised"} and lnxt not in {"to", "for"}:
        return None
    if (lw == "to" and _pluperfect(words, i - 1)) or (
        lnxt in {"to", "for"} and _pluperfect(words, i)
    ):
        # "had been due to expire Friday evening", "had planned to meet on Monday": the plan
        # belongs to a past narrative (the past perfect), so the day is past
        return "past"
    if lw == "planned":
        # "planned to meet", "planned for May", "planned a rally on Saturday": the planned event
        return "future" if lnxt in {"for", "to", "a", "an"} else "past"
    if lw in {"plan", "aim", "expect", "intend", "hopes", "await"} and prev in _DETERMINERS:
        return None  # a noun: "the plan"
    if lw in ("next", "coming") and nxt and (nxt[0].isupper() or lnxt == "to"):
        return None  # "the Coming Age", "next to the embassy"
    if lw == "earlier" and (prev.rstrip("s") in UNITS or prev in ("the", "a")):
        return None  # "three days earlier": anchored elsewhere
    if lw in _FUTURE_WORDS or lw.endswith("'ll"):
        return "future"
    if lw in _MODALS:
        return None if lnxt == "have" else "future"  # "would have met" is a past counterfactual
    if lw == "to" and lnxt == "be" and i + 2 < len(words) and _is_past_word(words[i + 2]):
        return "future"  # "guidelines to be published in early November"
    if lw == "to" and nxt and nxt[:1].islower() and lnxt not in _DETERMINERS:
        if prev in _INFINITIVE_HEADS or (i > 1 and words[i - 1][:1].isupper()):
            return "future"  # "expected to meet", headline "Kim to meet Putin"
        return None
    if lw == "going" and lnxt == "to":
        return "future"
    if _is_past_word(w):
        if lw not in _PAST_WORDS and prev in _ADJECTIVE_BEFORE:
            return None  # an adjective: "on a still unspecified date", "the revised plan"
        if prev in _BE_FORMS:  # passive with present/infinitive auxiliary: look further back
            return "skip"
        if lw in ("has", "have") and lnxt in ("to", "yet"):
            return None
        return "past"
    return None


def _pluperfect(words: list[str], i: int) -> bool:
    """Whether the word at ``i`` is in the past perfect: "had been scheduled", "had planned"."""
    if i <= 0 or i >= len(words):
        return False
    lw = words[i].lower()
    if lw not in _FUTURE_WORDS and lw not in _INFINITIVE_HEADS:
        return False
    before = [w.lower() for w in words[max(0, i - 2) : i]]
    return before[-1:] == ["had"] or before == ["had", "been"]


#: Words after which an -ed form is an adjective, not a verb in the past tense.
_ADJECTIVE_BEFORE = {
    "the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "these", "those",
    "still", "very", "newly", "so-far", "as-yet",
}  # fmt: skip

# Verbs whose infinitive complement is later than the verb ("agreed to meet on Thursday").
_INFINITIVE_HEADS = {
    "plans", "plan", "planned", "planning", "expected", "expects", "due", "set", "scheduled",
    "going", "is", "are", "aims", "intends", "intend", "hopes", "hope", "wants", "want", "seeks",
    "agreed", "agree", "agrees", "promised", "promises", "vowed", "pledged", "decided", "likely",
    "slated", "poised", "prepared", "preparing", "ready", "invited", "asked", "urged",
    "threatened", "threatens", "order", "ordered", "willing", "meant", "supposed", "trying",
    "tries", "try", "headline", "continue", "continues", "expect", "intended", "designed",
    # nouns of intent: "an agreement to acquire the company in January" is later than the deal
    "agreement", "accord", "pact", "deal", "offer", "bid", "proposal", "decision", "pledge",
    "promise", "attempt", "effort", "move",
}  # fmt: skip


#: Infinitive heads in the past tense that the -ed test does not catch (``_NOT_PAST_ED``).
_PAST_HEADS = {"agreed", "planned", "supposed", "intended", "expected", "meant"}


def context_direction(text: str, context: str | None) -> str | None:
    """'past', 'future' or None (no cue): the tense the context gives the expression.

    The nearest tense cue before the expression in its clause wins ("began on Sunday and will
    last until Wednesday" gives Sunday the past and Wednesday the future); without one, the
    nearest cue after it ("On Thursday, Kim will travel").
    """
    if not context:
        return None
    pos = _find(context, text)
    cut, resume = (len(context), len(context)) if pos is None else pos
    # clause boundary: strong punctuation, and never beyond 25 words (the 26th word back is
    # read so that a boundary there still starts the 25)
    bw = _last_words(context, cut, 26)
    for k in range(len(bw) - 1, -1, -1):
        if bw[k] in {";", ":", "(", ")", "—", "–", "[", "]"}:
            bw = bw[k + 1 :]
            break
    bw = bw[-25:]
    skipping = False
    for i in range(len(bw) - 1, -1, -1):
        c = _cue(bw, i)
        if c == "skip":
            skipping = True
            continue
        if c is not None:
            return c
        if skipping and bw[i].lower() in _BE_FORMS:
            continue
    aw = _first_words(context, resume, 12)
    for i in range(len(aw)):
        if aw[i] in {";", ":", "(", ")", "—", "–"}:
            break
        # "On Friday, the government planned to pay ...": the expression dates the head verb,
        # not its infinitive complement, so the head's own tense decides
        if (
            aw[i].lower() in _INFINITIVE_HEADS
            and i + 1 < len(aw)
            and aw[i + 1].lower() == "to"
            and (_is_past_word(aw[i]) or aw[i].lower() in _PAST_HEADS)
        ):
            return "past"
        c = _cue(aw, i)
        if c in ("past", "future"):
            return c
    return None


#: Signals that bound a period from the far end ("loans extended through January", "until
#: mid-November"): the period is ahead of the DCT even when the verb is past.
_FORWARD_BOUNDS = {"until", "till", "through", "thru", "untill"}


def forward_bound(text: str, context: str | None) -> bool:
    """Whether the word right before the expression in its context is a far-end bound.

    Not when a start is named just before it: "this year through August", "from May through
    July" is a span whose end tense decides.
    """
    if not context:
        return False
    pos = _find(context, text)
    if pos is None:
        return False
    before = [w.lower() for w in _last_words(context, pos[0], 5)]
    if not before or before[-1] not in _FORWARD_BOUNDS:
        return False
    return not any(w in _SPAN_STARTS or re.fullmatch(r"\d{4}", w) for w in before[-5:-1])


_SPAN_STARTS = {"year", "from", "since", "between", "date"}


def _find(context: str, text: str) -> tuple[int, int] | None:
    i = context.find(text)
    if i < 0:
        i = context.lower().find(text.lower())
    if i < 0:
        core = _clean(text)
        i = _clean(context).find(core) if core else -1
        if i < 0:
            return None
        return i, i + len(core)
    return i, i + len(text)
