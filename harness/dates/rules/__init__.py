"""The rule resolver (``rules``): the news conventions of the annotation guidelines (G5.4).

A bare weekday equal to the DCT's weekday is the DCT; any other is the nearest one before the DCT
unless the sentence points forward (the TimeML convention, guidelines 1.1), a month
without a year is the nearest one that fits the tense, ``later this month`` is the DCT's month
with ``mod: END``, vague words map to ``PAST_REF``/``PRESENT_REF``/``FUTURE_REF``, durations and
sets get ISO 8601 periods, and anaphora ("that time", "the same day", "then") take the time
named before them in the sentence, else the ``anchor`` the caller passes (the document's
antecedent, :func:`harness.dates.base.resolve_in_order`). It returns None for what it does not
understand rather than guessing.

The rules live in one module per family; :func:`~harness.dates.rules.core._parse` tries them in
the order they are imported below, and the first answer wins, so that order is part of the
behaviour (a test pins it).
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from harness.dates.base import Resolution, Resolver
from harness.dates.rules.core import _resolve_rules
from harness.dates.rules.direction import context_direction

#: Bumped whenever a rule changes an answer, so that results record which rules produced them.
RULES_VERSION = "1.9"

#: The rule families, in the order their rules are tried (imported here, in this order, so that
#: each adds its rules to the table after the ones before it).
FAMILY_NAMES = (
    "vague",
    "fiscal",
    "relative",
    "durations",
    "weekdays",
    "explicit",
    "months_years",
    "clock",
)
FAMILIES = tuple(importlib.import_module(f"{__name__}.{name}") for name in FAMILY_NAMES)


class RuleResolver(Resolver):
    """News-convention resolver (guidelines G5.4): deterministic rules, None when unsure."""

    name: ClassVar[str] = "rules"

    def signature(self) -> dict[str, Any]:
        return {"name": self.name, "rules_version": RULES_VERSION}

    def resolve(
        self, text: str, dct: str, context: str | None = None, anchor: str | None = None
    ) -> Resolution | None:
        return _resolve_rules(text, dct, context, anchor)


__all__ = ["FAMILIES", "FAMILY_NAMES", "RULES_VERSION", "RuleResolver", "context_direction"]
