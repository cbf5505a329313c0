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
from typing import Callable, Optional, TextIO

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
def _reporter(enabled: Optional[bool], title: str, line: Callable, texts: list[str], counted: bool,
              bar_update: Callable, **fields):
    """The shared frame: ``line(log, start, *args)`` writes log lines, ``bar_update(*args)``
    returns the keyword arguments of a rich bar update; ``texts`` are the bar's text columns."""
    mode = _mode(enabled)
    if mode == "off":
        yield None
        return
    if mode == "lines":
        log = LineLog(title)
        try:
            yield lambda *args: line(log, *args)
        finally:
            log.close()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [TextColumn("[bold]{task.description}"), BarColumn()]
    columns += [MofNCompleteColumn()] if counted else []
    columns += [TextColumn(t) for t in texts] + [TimeElapsedColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(title, total=None, **fields)
        yield lambda *args: bar.update(task, **bar_update(*args))


def _eta(log: LineLog, done: float, total: float) -> str:
    spent = time.monotonic() - log.start
    return f"ETA {_clock(spent / done * (total - done) if done > 0 else 0.0)}"


def _rate(p) -> float:
    return p.states / p.seconds if p.seconds > 0 else 0.0


def _bfs_line(log: LineLog, p) -> None:
    rate = _rate(p)
    fields = [f"layer {p.depth}", f"{p.states:,} states"]
    if p.expected_states:
        fields.append(f"{100.0 * p.states / p.expected_states:.1f}%")
    fields += [f"{rate:,.0f} states/s", f"{p.rss_bytes / 2**20:,.0f} MiB"]
    if p.expected_states and rate > 0 and p.states * 100 >= p.expected_states:  # too rough before 1%
        fields.append(f"ETA {_clock((p.expected_states - p.states) / rate)}")
    log.line(*fields, final=bool(p.expected_states) and p.states >= p.expected_states)


def bfs_progress(enabled: Optional[bool], title: str):
    """A context manager yielding a callback taking :class:`cayley.graphs.Progress` (or None when off)."""
    return _reporter(
        enabled, title, _bfs_line,
        ["layer {task.fields[layer]}", "{task.completed:,.0f} states", "{task.fields[rate]} states/s",
         "{task.fields[mem]}"], False,
        lambda p: dict(completed=p.states, total=p.expected_states, layer=p.depth, rate=f"{_rate(p):,.0f}",
                       mem=f"{p.rss_bytes / 2**20:,.0f} MiB"),
        layer=0, rate="-", mem="-")


def loss_progress(enabled: Optional[bool], title: str):
    """A context manager yielding ``progress(step, steps, loss)`` for training loops (or None when off)."""
    return _reporter(
        enabled, title,
        lambda log, step, steps, loss: log.line(f"step {step}/{steps}", f"loss {loss:.4g}", _eta(log, step, steps),
                                                final=step >= steps),
        ["loss {task.fields[loss]}"], True,
        lambda step, steps, loss: dict(completed=step, total=steps, loss=f"{loss:.4g}"),
        loss="-")


def count_progress(enabled: Optional[bool], title: str):
    """A context manager yielding ``progress(done, total)`` for work counted in items (or None when off)."""
    return _reporter(
        enabled, title,
        lambda log, done, total: log.line(f"{done:,}/{total:,}", _eta(log, done, total), final=done >= total),
        [], True,
        lambda done, total: dict(completed=done, total=total))
