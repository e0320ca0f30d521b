"""Rules shared by the regex and spaCy baselines: configuration, page chrome, spans, dates.

Both baselines must agree on what is *not* article text (G1.2), on how a claim's evidence span is
trimmed (G3.4), on how a claimant is written (G6) and on which timex dates a claim (G7). Keeping
those rules in one place means that a difference between the two baselines' scores comes from how
they find claims (surface cues vs. a dependency parse), not from two drifting copies of the same
heuristics. The rules live in one module per concern; this module is their public path:

* :mod:`baselines.config`: options, their files and checks, the resolver by name;
* :mod:`baselines.cues`: the author, media reports, reporting and hedge verbs;
* :mod:`baselines.chrome`: page chrome and the kind of each sentence (G1.2);
* :mod:`baselines.spans`: evidence spans, headline tags, claimants (G3.4, G6);
* :mod:`baselines.dating`: the DCT, timex resolution, the date of a claim (G7).
"""

from __future__ import annotations

from baselines.chrome import (
    SortedRanges,
    chrome_mask,
    has_named_entity,
    has_verb_like_word,
    in_ranges,
    is_chrome_line,
    sentence_kind,
    within,
    words,
)
from baselines.config import (
    CONFIG_DIR,
    ConfigError,
    check_common_options,
    get_resolver,
    load_config,
)
from baselines.cues import (
    AUTHOR,
    HEDGE_VERBS,
    MEDIA_REPORTS,
    REPORTING_VERBS,
)
from baselines.dating import (
    REPORTING_FORMS,
    TimexSpan,
    attached_to_reporting_verb,
    check_dct,
    choose_date,
    document_dct,
    resolve_timexes,
    token_start,
    tokens_back,
)
from baselines.spans import (
    headline_tag,
    normalize_claimant,
    trim_span,
)

__all__ = [
    "AUTHOR",
    "CONFIG_DIR",
    "HEDGE_VERBS",
    "MEDIA_REPORTS",
    "REPORTING_FORMS",
    "REPORTING_VERBS",
    "ConfigError",
    "SortedRanges",
    "TimexSpan",
    "attached_to_reporting_verb",
    "check_common_options",
    "check_dct",
    "choose_date",
    "chrome_mask",
    "document_dct",
    "get_resolver",
    "has_named_entity",
    "has_verb_like_word",
    "headline_tag",
    "in_ranges",
    "is_chrome_line",
    "load_config",
    "normalize_claimant",
    "resolve_timexes",
    "sentence_kind",
    "token_start",
    "tokens_back",
    "trim_span",
    "within",
    "words",
]
