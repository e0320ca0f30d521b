"""Annotation tools: the scaffold of a new article, the review page, inter-annotator agreement.

Beside :mod:`harness.reporting`: may import gold, dates, extraction, scoring and reporting; only
:mod:`harness.cli` imports it.
"""
