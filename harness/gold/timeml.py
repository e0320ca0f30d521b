"""TimeML import: TimeBank, AQUAINT, TempEval-3 (and its test set) as gold corpora.

The public path of the importer, in two modules: :mod:`harness.gold.timeml_reader` reads and
converts one TimeML 1.2.1 file (its docstring says exactly what is kept, what is skipped and
what stops an import); :mod:`harness.gold.timeml_importer` walks the inputs, writes the corpus
directory atomically and prints the summary.
"""

from __future__ import annotations

from harness.gold.timeml_importer import (
    ImportSummary,
    document_yaml,
    import_timeml,
    read_all,
    timeml_files,
    write_corpus,
)
from harness.gold.timeml_reader import (
    ANNOTATOR,
    BAD_MOD,
    BAD_TYPE,
    BAD_VALUE,
    DCT_EVIDENCE,
    EMPTY,
    GUIDELINES,
    OUTLETS,
    OUTSIDE,
    Skipped,
    TimemlDocument,
    TimemlError,
    TimemlTimex,
    outlet_for,
    pad_week,
    parse_timeml,
    read_timeml,
)

#: The modules whose source makes the importer (the import cache is keyed on them).
MODULES = ("harness.gold.timeml", "harness.gold.timeml_reader", "harness.gold.timeml_importer")

__all__ = [
    "ANNOTATOR",
    "BAD_MOD",
    "BAD_TYPE",
    "BAD_VALUE",
    "DCT_EVIDENCE",
    "EMPTY",
    "GUIDELINES",
    "OUTLETS",
    "OUTSIDE",
    "ImportSummary",
    "Skipped",
    "TimemlDocument",
    "TimemlError",
    "TimemlTimex",
    "document_yaml",
    "import_timeml",
    "outlet_for",
    "pad_week",
    "parse_timeml",
    "read_all",
    "read_timeml",
    "timeml_files",
    "write_corpus",
]
