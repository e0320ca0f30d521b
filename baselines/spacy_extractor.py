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

The pipeline is loaded lazily, once per process and model name (:mod:`baselines.spacy_pipeline`);
the parse is read with the helpers of :mod:`baselines.spacy_tree`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

from baselines.attribution import (
    AUTHOR,
    MEDIA_REPORTS,
    ConfigError,
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
from baselines.spacy_pipeline import (
    DEFAULT_MODEL,
    INSTALL_HINT,
    MODEL_ALIASES,
    load_pipeline,
    model_candidates,
    unavailable_reason,
)
from baselines.spacy_tree import (
    _according_phrases,
    _clause_range,
    _close_quote,
    _dedupe,
    _Found,
    _has_name,
    _last_token_before,
    _left_proper_phrase,
    _Paragraph,
    _paragraphs,
    _phrase,
    _split_conjuncts,
    _temporal_entities,
    _timex_extent,
)
from harness.extraction.api import (
    Document,
    Extraction,
    Extractor,
    ExtractorUnavailable,
    PredictedClaim,
    PredictedTimex,
)

#: The public names of this module (some live in baselines.spacy_pipeline, importable from here too).
__all__ = [
    "DEFAULTS",
    "DEFAULT_MODEL",
    "INSTALL_HINT",
    "MODEL_ALIASES",
    "ExtractorUnavailable",
    "SpacyExtractor",
    "load_pipeline",
    "model_candidates",
]

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

_MODAL = re.compile(r"\b(?:will|would|could|may|might|shall|expected|plans?|planned|scheduled)\b")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


class SpacyExtractor(Extractor):
    """Claims from the dependency parse of en_core_web_sm; timexes from its DATE/TIME entities."""

    name: ClassVar[str] = "spacy"
    description: ClassVar[str] = (
        "spaCy baseline: reporting verbs and their complements in the dependency parse, "
        "DATE/TIME entities as timexes (en_core_web_sm)"
    )
    code_dependencies: ClassVar[tuple[str, ...]] = ("harness.dates", "harness.gold.text")

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
        return unavailable_reason(model)

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
