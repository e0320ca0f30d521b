"""Progress of an extraction run: a tqdm bar on a terminal, plain lines on a file or a pipe."""

from __future__ import annotations

import io

import pytest

from harness.extraction import progress as P
from harness.extraction.progress import LineProgress, is_terminal, progress_display


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_line_is_written_only_once_the_interval_has_passed():
    out, clock = io.StringIO(), Clock()
    bar = LineProgress(10_000, 0, "regex", out, every=5, clock=clock)
    clock.now += 4.9
    bar.update(3_000)
    assert out.getvalue() == ""
    clock.now += 0.1
    bar.update(1_000)
    assert out.getvalue() == (
        "regex: 4,000/10,000 articles (40%), 800.0 articles/s, 00:05 elapsed, about 00:07 left\n"
    )
    # the next line waits a whole interval from this one
    clock.now += 4
    bar.update(1_000)
    assert out.getvalue().count("\n") == 1
    clock.now += 1
    bar.update(0)
    assert out.getvalue().splitlines()[1] == (
        "regex: 5,000/10,000 articles (50%), 500.0 articles/s, 00:10 elapsed, about 00:10 left"
    )
    bar.close()
    assert "\r" not in out.getvalue()


@pytest.mark.parametrize(
    ("total", "initial", "desc", "seconds", "done", "line"),
    [
        # a resumed run's rate counts only the articles of this run
        (1_000, 600, "llm-prompt", 100, 200,
         "llm-prompt: 800/1,000 articles (80%), 2.0 articles/s, 01:40 elapsed, about 01:40 left"),
        # before any article is done, the time left is not guessed
        (50, 0, "spacy", 2, 0,
         "spacy: 0/50 articles (0%), 0.0 articles/s, 00:02 elapsed, time left not known yet"),
    ],
    ids=["resumed", "nothing-done-yet"],
)  # fmt: skip
def test_the_rate_and_the_time_left(total, initial, desc, seconds, done, line):
    out, clock = io.StringIO(), Clock()
    bar = LineProgress(total, initial, desc, out, every=1, clock=clock)
    clock.now += seconds
    bar.update(done)
    assert out.getvalue() == line + "\n"


def test_the_default_interval_is_read_when_the_run_starts(monkeypatch):
    monkeypatch.setattr(P, "LINE_EVERY", 7.0)
    assert LineProgress(1, 0, "x", io.StringIO()).every == 7.0


def test_a_terminal_gets_the_bar_and_anything_else_the_lines():
    from tqdm import tqdm

    assert is_terminal(Terminal()) and not is_terminal(io.StringIO())
    closed = io.StringIO()
    closed.close()
    assert not is_terminal(closed)
    assert not is_terminal(object())  # type: ignore[arg-type]
    bar = progress_display(5, 0, "regex", True, Terminal())
    assert isinstance(bar, tqdm) and not bar.disable
    bar.close()
    assert isinstance(progress_display(5, 0, "regex", True, io.StringIO()), LineProgress)


@pytest.mark.parametrize("stream", [io.StringIO, Terminal])
def test_with_progress_off_nothing_is_written(stream):
    out = stream()
    bar = progress_display(5, 0, "regex", False, out)
    bar.update(5)
    bar.close()
    assert out.getvalue() == ""


def test_an_extraction_run_writes_lines_not_a_bar_to_a_log(monkeypatch):
    from harness.extraction.registry import load_extractor_class
    from harness.extraction.runner import load_extractor_config, run_extractor
    from harness.gold.corpus import load_corpus
    from tests.conftest import MINI

    corpus = load_corpus(MINI / "annotations")
    regex = load_extractor_class("regex")(load_extractor_config("regex", None))
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setattr(P, "LINE_EVERY", 0.0)  # a line at every update
    run_extractor(regex, corpus, "gold", True, name="regex")
    lines = log.getvalue().splitlines()
    assert lines and "\r" not in log.getvalue()
    assert lines[-1].startswith(f"regex: {len(corpus)}/{len(corpus)} articles (100%), ")
    assert all(" articles/s, " in line and " elapsed, " in line for line in lines)
