"""Scoring: matching strategies, metrics, statistics (bootstrap, paired tests), the scorer.

Imports :mod:`harness.gold`, :mod:`harness.dates` and :mod:`harness.extraction`.
"""
