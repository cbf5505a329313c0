"""Progress reports on stderr for long commands: a live bar on a terminal, lines in a log.

On a terminal, a ``rich`` bar redraws in place. When stderr is not a terminal (``nohup``,
a batch job, ``2> run.log``) and progress was asked for (``--progress``), a plain line is
written every few seconds instead (and always for the last update), so a log shows what a
long run is doing: the layer, states, rate, memory and an estimate of the time left.
``--progress`` left out means: a bar on a terminal, nothing otherwise.

The interval between log lines is ``CAYLEY_PROGRESS_SECONDS`` (default 5).

>>> import io
>>> out = io.StringIO()
>>> log = LineLog("S_5 lrx", stream=out, interval=0.0)
>>> log.line("layer 3", "27 states", final=True)
>>> out.getvalue()
'S_5 lrx: layer 3, 27 states, 0:00:00 elapsed\\n'
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Optional, TextIO

__all__ = ["LineLog", "bfs_progress", "loss_progress", "count_progress", "interval_seconds"]


def interval_seconds() -> float:
    """Seconds between two log lines (``CAYLEY_PROGRESS_SECONDS``, default 5)."""
    try:
        return max(0.0, float(os.environ.get("CAYLEY_PROGRESS_SECONDS", "5")))
    except ValueError:
        return 5.0


def _clock(seconds: float) -> str:
    s = int(max(0.0, seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class LineLog:
    """Plain progress lines on a stream, at most one per ``interval`` seconds (the final one always)."""

    def __init__(self, title: str, stream: Optional[TextIO] = None, interval: Optional[float] = None):
        self.title = title
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval_seconds() if interval is None else interval
        self.start = time.monotonic()
        self.last = float("-inf")
        self.pending: Optional[tuple[str, ...]] = None

    def line(self, *fields: str, final: bool = False) -> None:
        """Write ``fields`` now if the interval has passed (or ``final``); else keep them for :meth:`close`."""
        now = time.monotonic()
        if not final and now - self.last < self.interval:
            self.pending = fields
            return
        self.pending = None
        self.last = now
        text = ", ".join([*fields, f"{_clock(now - self.start)} elapsed"])
        print(f"{self.title}: {text}", file=self.stream, flush=True)

    def close(self) -> None:
        """Write the last update held back by the interval, so a log ends with the final state."""
        if self.pending is not None:
            self.line(*self.pending, final=True)


def _mode(enabled: Optional[bool]) -> str:
    """'bar' on a terminal, 'lines' when asked for off a terminal, else 'off'."""
    tty = sys.stderr.isatty()
    if enabled is None:
        return "bar" if tty else "off"
    if not enabled:
        return "off"
    return "bar" if tty else "lines"


@contextmanager
def bfs_progress(enabled: Optional[bool], title: str) -> Iterator[Optional[Callable]]:
    """Yield a callback taking :class:`cayley.graphs.Progress` (or None when off)."""
    mode = _mode(enabled)
    if mode == "off":
        yield None
        return
    if mode == "lines":
        log = LineLog(title)

        def report(p) -> None:
            rate = p.states / p.seconds if p.seconds > 0 else 0.0
            fields = [f"layer {p.depth}", f"{p.states:,} states"]
            if p.expected_states:
                fields.append(f"{100.0 * p.states / p.expected_states:.1f}%")
            fields += [f"{rate:,.0f} states/s", f"{p.rss_bytes / 2**20:,.0f} MiB"]
            if p.expected_states and rate > 0 and p.states * 100 >= p.expected_states:  # too rough before 1%
                fields.append(f"ETA {_clock((p.expected_states - p.states) / rate)}")
            log.line(*fields, final=bool(p.expected_states) and p.states >= p.expected_states)

        try:
            yield report
        finally:
            log.close()
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("layer {task.fields[layer]}"),
        TextColumn("{task.completed:,.0f} states"),
        TextColumn("{task.fields[rate]} states/s"),
        TextColumn("{task.fields[mem]}"),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=None, layer=0, rate="-", mem="-")

        def update(p) -> None:
            rate = p.states / p.seconds if p.seconds > 0 else 0.0
            bar.update(task, completed=p.states, total=p.expected_states, layer=p.depth,
                       rate=f"{rate:,.0f}", mem=f"{p.rss_bytes / 2**20:,.0f} MiB")

        yield update


@contextmanager
def loss_progress(enabled: Optional[bool], title: str) -> Iterator[Optional[Callable[[int, int, float], None]]]:
    """Yield ``progress(step, steps, loss)`` for training loops (or None when off)."""
    mode = _mode(enabled)
    if mode == "off":
        yield None
        return
    if mode == "lines":
        log = LineLog(title)
        start = time.monotonic()

        def report(step: int, steps: int, loss: float) -> None:
            spent = time.monotonic() - start
            eta = spent / step * (steps - step) if step > 0 else 0.0
            log.line(f"step {step}/{steps}", f"loss {loss:.4g}", f"ETA {_clock(eta)}", final=step >= steps)

        try:
            yield report
        finally:
            log.close()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("loss {task.fields[loss]}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=None, loss="-")

        def update(step: int, steps: int, loss: float) -> None:
            bar.update(task, completed=step, total=steps, loss=f"{loss:.4g}")

        yield update


@contextmanager
def count_progress(enabled: Optional[bool], title: str) -> Iterator[Optional[Callable[[int, int], None]]]:
    """Yield ``progress(done, total)`` for work counted in items (or None when off)."""
    mode = _mode(enabled)
    if mode == "off":
        yield None
        return
    if mode == "lines":
        log = LineLog(title)
        start = time.monotonic()

        def report(done: int, total: int) -> None:
            spent = time.monotonic() - start
            eta = spent / done * (total - done) if done > 0 else 0.0
            log.line(f"{done:,}/{total:,}", f"ETA {_clock(eta)}", final=done >= total)

        try:
            yield report
        finally:
            log.close()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
