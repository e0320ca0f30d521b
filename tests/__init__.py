"""The test suite. A regular package, so a third-party top-level ``tests`` package cannot shadow it."""
