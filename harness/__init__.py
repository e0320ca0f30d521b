"""Evaluation harness for check-worthy claim extraction and date resolution in news.

The library is one sub-package per stage of the pipeline; imports run one way only
(``gold <- dates <- extraction <- scoring <- reporting <- cli``, with ``annotate`` beside
``reporting``):

- :mod:`harness.gold`: the gold records, corpus loading, validation, YAML, TIMEX3 values.
- :mod:`harness.dates`: the temporal-expression tagger and the date resolvers.
- :mod:`harness.extraction`: the extractor interface, the registry, prediction files.
- :mod:`harness.scoring`: matching, metrics, statistics, the scorer.
- :mod:`harness.reporting`: tables, the signature, the evaluation job.
- :mod:`harness.annotate`: tools for annotators (scaffold, review page, agreement).
- :mod:`harness.cli`: the ``harness`` command.

The flat module names of earlier versions (``harness.corpus``, ``harness.extract``,
``harness.resolve``, ...) still import: each is an alias of the module that now holds the code
(the same module object, so attributes, ``isinstance`` and monkeypatching behave as before). They
are aliases rather than files so that no file sits at a moved module's old path.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

__version__ = "0.1.0"

#: Old flat module name -> the module that holds its code now. Public compatibility paths.
MOVED: dict[str, str] = {
    "harness.corpus": "harness.gold.corpus",
    "harness.validate": "harness.gold.validate",
    "harness.yamlio": "harness.gold.yamlio",
    "harness.timex": "harness.gold.timex",
    "harness.text": "harness.gold.text",
    "harness.tagger": "harness.dates",
    "harness.resolve": "harness.dates.resolve",
    "harness.extract": "harness.extraction",
    "harness.predictions": "harness.extraction.predictions",
    "harness.match": "harness.scoring.match",
    "harness.metrics": "harness.scoring.metrics",
    "harness.stats": "harness.scoring.stats",
    "harness.score": "harness.scoring.score",
    "harness.report": "harness.reporting.tables",
    "harness.signature": "harness.reporting.signature",
    "harness.evaluate": "harness.reporting.evaluate",
    "harness.scaffold": "harness.annotate.scaffold",
    "harness.review": "harness.annotate.review",
    "harness.agree": "harness.annotate.agree",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves an old module name to the module that holds its code, imported on first use."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
        if fullname not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The target module was executed when it was imported; nothing left to do."""


# First in line: an installed copy of an older layout (an editable install elsewhere) must not
# shadow the alias with its own flat module.
if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
    sys.meta_path.insert(0, _Alias())
