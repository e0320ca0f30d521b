"""Extraction: the extractor interface and its records, the registry, prediction files.

Imports only :mod:`harness.gold` and :mod:`harness.dates`. Extractors register through entry
points; nothing here names one.
"""
