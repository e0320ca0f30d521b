"""The gold: records, corpus loading, validation, YAML I/O, TIMEX3 values, and text offsets.

The bottom of the import order: nothing here imports another harness sub-package.
"""
