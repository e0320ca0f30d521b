"""Date resolvers: from a temporal expression, the DCT and its sentence to a TIMEX3 value.

The resolver track and the extractors need one answer to "which date does *on Monday* mean in this
article?", so every resolver implements :meth:`Resolver.resolve` and nothing else. Two are built in:

* :class:`RuleResolver` (``rules``) encodes the news conventions of the annotation guidelines
  (G5.4): a bare weekday is the most recent one before the DCT unless the sentence points forward,
  a month without a year is the nearest one that fits the tense, ``later this month`` is the DCT's
  month with ``mod: END``, vague words map to ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``,
  durations and sets get ISO 8601 periods. It returns None for what it does not understand rather
  than guessing.
* :class:`DateparserResolver` (``dateparser``) is the off-the-shelf baseline: the ``dateparser``
  package with the DCT as its relative base. It can only express calendar points (a day, an ISO
  week, a month, a year, a time of day): no ``*_REF``, no durations or sets, no intervals, no
  ``mod``, no parts of day beyond the hour it picks, and it reads weekday-plus-date without
  checking the weekday. For those it returns None (or, as dateparser does, a wrong point).

Both are deterministic and pure functions of ``(text, dct, context)``. This module is the
registry and the public entry point; the interface is in :mod:`harness.dates.base`, the rules in
:mod:`harness.dates.rules` (one module per family), dateparser in
:mod:`harness.dates.dateparser_resolver`.
"""

from __future__ import annotations

import difflib

from harness.dates.base import Resolution, Resolver, anchor_value, parse_dct, resolve_in_order
from harness.dates.dateparser_resolver import DateparserResolver
from harness.dates.heideltime import HeidelTimeResolver
from harness.dates.rules import RULES_VERSION, RuleResolver, context_direction

# --------------------------------------------------------------------------------------------
# Registry

RESOLVERS: dict[str, type[Resolver]] = {
    RuleResolver.name: RuleResolver,
    DateparserResolver.name: DateparserResolver,
    HeidelTimeResolver.name: HeidelTimeResolver,  # optional: says "not run" without Java
}


def get_resolver(name: str) -> Resolver:
    """A resolver instance by name; an unknown name gets a "did you mean" hint."""
    if name not in RESOLVERS:
        close = difflib.get_close_matches(name, RESOLVERS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise KeyError(f"unknown resolver {name!r}{hint} (known: {', '.join(sorted(RESOLVERS))})")
    return RESOLVERS[name]()


__all__ = [
    "RESOLVERS",
    "RULES_VERSION",
    "DateparserResolver",
    "Resolution",
    "Resolver",
    "RuleResolver",
    "anchor_value",
    "context_direction",
    "get_resolver",
    "parse_dct",
    "resolve_in_order",
]
