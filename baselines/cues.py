"""The words both rule baselines read as cues: the author, media reports, reporting and hedge verbs.

Kept apart so that the regex and spaCy baselines, and the rules of :mod:`baselines.chrome`,
:mod:`baselines.spans` and :mod:`baselines.dating`, draw on one list (G6).
"""

from __future__ import annotations

AUTHOR = "<AUTHOR>"
#: Claimant for "reportedly", "It was reported that ..." and headline tags such as "– media" (G6.4).
MEDIA_REPORTS = "media reports"

#: Reporting verbs by lemma, with the inflected forms the regex baseline matches.
REPORTING_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "state": ("states", "stated", "stating"),
    "confirm": ("confirm", "confirms", "confirmed", "confirming"),
    "report": ("reports", "reported", "reporting"),
    "announce": ("announce", "announces", "announced", "announcing"),
    "claim": ("claims", "claimed", "claiming"),
    "warn": ("warn", "warns", "warned", "warning"),
    "deny": ("deny", "denies", "denied", "denying"),
    "write": ("writes", "wrote"),
    "tell": ("tells", "told"),
    "add": ("adds", "added", "adding"),
    "indicate": ("indicates", "indicated"),
    "insist": ("insists", "insisted"),
    "allege": ("alleges", "alleged"),
    "assert": ("asserts", "asserted"),
    "declare": ("declares", "declared"),
    "reveal": ("reveals", "revealed"),
    "acknowledge": ("acknowledges", "acknowledged"),
    "admit": ("admits", "admitted"),
    "note": ("noted",),
    "cite": ("cites", "cited", "citing"),
}
#: Passive hedges with no named holder: the author asserts the claim (G6.1).
HEDGE_VERBS = ("speculated", "believed", "expected", "thought", "understood", "rumored", "feared")
