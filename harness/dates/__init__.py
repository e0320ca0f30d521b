"""Dates: the shared vocabulary, the temporal-expression tagger, page-stamp detection and the
date resolvers (the rules, one module per family, dateparser, and the optional heideltime).

Imports only :mod:`harness.gold`. Inside, the order is ``vocab`` <- ``tagger`` <- ``rules`` (whose
anchored rules look for the time named earlier in the sentence with the tagger) <- ``stamps``,
``dateparser_resolver`` <- ``resolve`` (the registry). The old path ``harness.tagger`` is this
package, which re-exports the tagger and the stamp detector.
"""

from harness.dates.resolve import RESOLVERS, Resolution, Resolver, get_resolver
from harness.dates.stamps import detect_dct
from harness.dates.tagger import TaggedTimex, find_timexes

__all__ = [
    "RESOLVERS",
    "Resolution",
    "Resolver",
    "TaggedTimex",
    "detect_dct",
    "find_timexes",
    "get_resolver",
]
