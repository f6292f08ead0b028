"""Progress bars on standard error for work that takes a while.

A bar appears only when the work has run for more than :data:`DELAY`
seconds and standard error is a terminal, so quick commands, pipes, CI logs
and tests never see one. ``EVG_PROGRESS=0`` turns bars off, ``EVG_PROGRESS=1``
forces them on. ``rich`` is imported only when a bar is actually shown.

>>> from graph.model.progress import progress, track
>>> with progress("loading", total=3) as bar:
...     for step in ("BibTeX", "claims", "links"):
...         bar.update(step)
...         bar.advance()
>>> total = sum(track(range(10), "counting"))
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

__all__ = ["DELAY", "Progress", "enabled", "progress", "track"]

#: Seconds of work before a bar appears.
DELAY = 1.0


def enabled() -> bool:
    """Whether bars may be shown: stderr is a terminal, unless EVG_PROGRESS says otherwise."""
    setting = os.environ.get("EVG_PROGRESS", "").strip().lower()
    if setting in ("0", "false", "no", "off"):
        return False
    if setting in ("1", "true", "yes", "on"):
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """One task's progress; shown by a background timer once :data:`DELAY` has passed."""

    def __init__(self, description: str, total: float | None = None, *, delay: float = DELAY, show: bool | None = None):
        self.description = description
        self.total = total
        self.completed = 0.0
        self.delay = delay
        self.show = enabled() if show is None else show
        self.started = time.perf_counter()
        self._lock = threading.Lock()
        self._display = None
        self._task = None
        self._timer: threading.Timer | None = None
        #: whether a bar was actually drawn (for tests)
        self.shown = False

    def __enter__(self) -> Progress:
        if self.show:
            self._timer = threading.Timer(self.delay, self._start)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._display is not None:
                self._display.stop()
                self._display = None

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            if self._display is not None:
                return
            columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn()]
            if self.total is not None:
                columns.append(TextColumn("{task.completed:.0f}/{task.total:.0f}"))
            columns.append(TimeElapsedColumn())
            display = Progress(*columns, console=Console(stderr=True), transient=True)
            self._task = display.add_task(self.description, total=self.total, completed=self.completed)
            display.start()
            self._display = display
            self.shown = True

    def update(self, description: str | None = None, *, completed: float | None = None) -> None:
        if description is not None:
            self.description = description
        if completed is not None:
            self.completed = completed
        self._refresh()

    def advance(self, amount: float = 1) -> None:
        self.completed += amount
        self._refresh()

    def _refresh(self) -> None:
        display = self._display
        if display is not None:
            display.update(self._task, description=self.description, completed=self.completed)


@contextmanager
def progress(description: str, total: float | None = None, **kwargs) -> Iterator[Progress]:
    """A :class:`Progress` for a block of work."""
    with Progress(description, total, **kwargs) as bar:
        yield bar


def track(items: Iterable, description: str, total: int | None = None) -> Iterator:
    """Iterate over ``items``, with a bar if the loop takes more than a second."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with Progress(description, total) as bar:
        for item in items:
            yield item
            bar.advance()
