"""Reporting: tables rendered from saved JSON, the chart, the results signature, the evaluation job.

Imports every stage below it; only :mod:`harness.cli` imports it.
"""
