"""Progress bars: shown on a terminal once work passes the delay, never when
standard error is a pipe or a file, and switchable with EVG_PROGRESS."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time

import pytest

from graph.model.progress import Progress, enabled, track

SCRIPT = """
import time
from graph.model.progress import progress
with progress("loading the graph", total=2, delay={delay}) as bar:
    bar.update("claims")
    time.sleep({work})
    bar.advance(2)
print("done")
"""


def _run_on_a_terminal(delay: float, work: float, env_progress: str | None = None) -> str:
    """Run SCRIPT with stderr on a pseudo-terminal; return what the terminal got."""
    env = {k: v for k, v in os.environ.items() if k != "EVG_PROGRESS"}
    if env_progress is not None:
        env["EVG_PROGRESS"] = env_progress
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT.format(delay=delay, work=work)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    out, _ = proc.communicate(timeout=30)
    assert out == b"done\n"
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_slow_step_shows_a_bar_on_a_terminal():
    assert "claims" in _run_on_a_terminal(delay=0.2, work=1.5)


def test_a_quick_step_shows_nothing_on_a_terminal():
    assert _run_on_a_terminal(delay=1.0, work=0.1) == ""


def test_evg_progress_0_turns_bars_off_on_a_terminal():
    assert _run_on_a_terminal(delay=0.2, work=1.0, env_progress="0") == ""


def test_no_bar_when_stderr_is_not_a_terminal():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(delay=0.1, work=0.8)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "EVG_PROGRESS"},
    )
    assert (result.stdout, result.stderr) == ("done\n", "")


@pytest.mark.parametrize("value, expected", [("0", False), ("off", False), ("1", True), ("yes", True)])
def test_evg_progress_decides_over_the_terminal_test(monkeypatch, value, expected):
    monkeypatch.setenv("EVG_PROGRESS", value)
    assert enabled() is expected


def test_a_disabled_bar_never_shows_and_track_yields_everything(monkeypatch):
    monkeypatch.setenv("EVG_PROGRESS", "0")
    with Progress("work", delay=0.0) as bar:
        time.sleep(0.05)
    assert bar.shown is False
    assert list(track(range(5), "counting")) == [0, 1, 2, 3, 4]
