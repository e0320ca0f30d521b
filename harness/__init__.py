"""Evaluation harness for check-worthy claim extraction and date resolution in news."""

__version__ = "0.1.0"
