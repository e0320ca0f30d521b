"""Progress of an extraction run: a bar on a terminal, plain lines anywhere else.

On a terminal, tqdm draws one bar per extractor and redraws it in place with carriage returns.
Written to a file (``nohup``, a batch job's log, CI, ``2> log``), the same redraws pile up on one
line that no reader can follow, and a bar that is cleared at the end (``leave=False``) leaves
only the carriage returns and spaces that erased it. So where the stream is not a terminal,
:class:`LineProgress` writes one ordinary line instead, at most every :data:`LINE_EVERY` seconds
(none for a run that ends sooner), with the same figures as the bar: articles done, the share,
articles/s and the estimated time left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

#: Seconds between two progress lines where the stream is not a terminal.
LINE_EVERY = 30.0


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal (a stream without ``isatty``, or a closed one, is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class LineProgress:
    """tqdm's ``update``/``close`` for a stream that is not a terminal: a line such as
    ``regex: 4,000/10,000 articles (40%), 812.3 articles/s, 00:04 elapsed, about 00:07 left``
    when at least ``every`` seconds (:data:`LINE_EVERY` by default) have passed since the run
    began or since the last line.

    The rate counts the articles done in this run only (``initial``, those a resumed run found
    already extracted, are not), as tqdm's bar does.
    """

    def __init__(
        self,
        total: int,
        initial: int,
        desc: str,
        file: IO[str],
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.initial, self.n = total, initial, initial
        self.desc, self.file, self.clock = desc, file, clock
        self.every = LINE_EVERY if every is None else every
        self.start = self.last = clock()

    def update(self, n: int = 1) -> None:
        self.n += n
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            print(self.line(now - self.start), file=self.file, flush=True)

    def line(self, elapsed: float) -> str:
        """The progress line after ``elapsed`` seconds."""
        from tqdm import tqdm

        done = self.n - self.initial
        rate = done / elapsed if elapsed > 0 else 0.0
        share = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        left = (
            f"about {tqdm.format_interval((self.total - self.n) / rate)} left"
            if rate > 0
            else "time left not known yet"
        )
        return (
            f"{self.desc}: {self.n:,}/{self.total:,} articles{share}, {rate:,.1f} articles/s, "
            f"{tqdm.format_interval(elapsed)} elapsed, {left}"
        )

    def close(self) -> None:
        """Nothing to clear: the caller reports the run's end in its own words."""


def progress_display(total: int, initial: int, desc: str, enabled: bool, file: IO[str]) -> Any:
    """A tqdm bar where ``file`` is a terminal, a :class:`LineProgress` elsewhere, or a disabled
    tqdm bar (which draws nothing) when ``enabled`` is False."""
    from tqdm import tqdm

    if enabled and not is_terminal(file):
        return LineProgress(total, initial, desc, file)
    return tqdm(
        total=total, initial=initial, desc=desc, unit="article", disable=not enabled,
        file=file, leave=False, dynamic_ncols=True,
    )  # fmt: skip


__all__ = ["LINE_EVERY", "LineProgress", "is_terminal", "progress_display"]
