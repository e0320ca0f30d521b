"""Strict parsing of the LLM-prompt baseline's answers: one JSON object, exact keys, valid dates.

Nothing is repaired: an answer that breaks the format raises :class:`AnswerError` with where it
broke, and the extractor turns it into an errored document rather than a guessed one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from harness.extraction.api import Document, PredictedClaim
from harness.gold import timex

CLAIM_KEYS = ("evidence", "text", "claimant", "date", "date_text")
_DCT_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?$")
_FENCED = re.compile(r"\A```(?:json)?[ \t]*\n(?P<body>.*?)\n?[ \t]*```\Z", re.DOTALL | re.I)


class AnswerError(ValueError):
    """A model answer that breaks the format the prompt asks for (the message says where)."""


# ---------------------------------------------------------------------------------------------
# Answer parsing


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise AnswerError(f"duplicate key {key!r} in a JSON object")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise AnswerError(f"{name} is not valid JSON")


def parse_answer(
    content: str, doc: Document, *, detect: bool
) -> tuple[list[PredictedClaim], str | None]:
    """The claims (and, when ``detect``, the DCT) of a model answer; AnswerError if malformed."""
    body = content.strip()
    if body.startswith("```"):
        fenced = _FENCED.match(body)
        if not fenced:
            raise AnswerError("a fenced block must be the whole answer (```json, the JSON, ```)")
        body = fenced.group("body")
    try:
        data = json.loads(
            body, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise AnswerError(
            f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise AnswerError(f"expected a JSON object, got {type(data).__name__}")
    expected = {"claims", "dct"} if detect else {"claims"}
    _check_keys(data, expected, "the answer")
    dct = None
    if detect:
        dct = _check_dct(data["dct"])
    claims_data = data["claims"]
    if not isinstance(claims_data, list):
        raise AnswerError(f"'claims' must be a list, got {type(claims_data).__name__}")
    claims = []
    seen: dict[str, int] = {}
    for i, item in enumerate(claims_data):
        where = f"claims[{i}]"
        if not isinstance(item, dict):
            raise AnswerError(f"{where} must be an object, got {type(item).__name__}")
        _check_keys(item, set(CLAIM_KEYS), where)
        for key in ("evidence", "text", "claimant"):
            if not isinstance(item[key], str) or not item[key].strip():
                raise AnswerError(f"{where}.{key} must be a non-empty string, got {item[key]!r}")
        if item["date_text"] is not None and (
            not isinstance(item["date_text"], str) or not item["date_text"].strip()
        ):
            raise AnswerError(f"{where}.date_text must be a non-empty string or null")
        date = item["date"]
        if date is not None:
            try:
                # Any well-formed value: the gold dates some claims by a DURATION timex
                # ("the past 13 months" -> P13M), so durations are not rejected here.
                date = timex.validate(date)
            except timex.TimexValueError as exc:
                raise AnswerError(f"{where}.date is not a TIMEX3 value: {exc}") from None
        evidence = item["evidence"]
        nth = seen.get(evidence, 0)
        seen[evidence] = nth + 1
        start = _locate(doc.text, evidence, nth)
        claims.append(
            PredictedClaim(
                doc_id=doc.doc_id,
                text=item["text"],
                start=start,
                end=None if start is None else start + len(evidence),
                claimant=item["claimant"],
                date=date,
                date_text=item["date_text"],
            )
        )
    return claims, dct


def _check_keys(obj: Mapping[str, Any], expected: set[str], where: str) -> None:
    missing, extra = sorted(expected - set(obj)), sorted(set(obj) - expected)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(repr, missing))}")
        if extra:
            parts.append(f"unexpected {', '.join(map(repr, extra))}")
        raise AnswerError(
            f"{where}: {'; '.join(parts)} (expected keys: {', '.join(sorted(expected))})"
        )


def _check_dct(value: Any) -> str:
    if not isinstance(value, str):
        raise AnswerError(f"'dct' must be a string, got {value!r}")
    try:
        norm = timex.validate(value, "DATE")
    except timex.TimexValueError as exc:
        raise AnswerError(f"'dct' is not a TIMEX3 value: {exc}") from None
    if not _DCT_SHAPE.match(norm):
        raise AnswerError(f"'dct' must be YYYY-MM-DD or YYYY-MM-DDTHH:MM, got {value!r}")
    return norm


def _locate(text: str, quote: str, nth: int) -> int | None:
    """Offset of the ``nth`` (0-based, overlapping) occurrence of ``quote``, else of the first.

    When a page repeats a headline and the model quotes it twice, the second claim gets the
    second copy (the gold annotates every copy).
    """
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    if not starts:
        return None
    return starts[nth] if nth < len(starts) else starts[0]
