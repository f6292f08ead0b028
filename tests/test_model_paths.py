"""Output files: written whole or not at all, and special files written in place."""

from __future__ import annotations

import os
import stat
import threading

from graph.model.paths import atomic_write

from .conftest import CORPUS


def test_a_fifo_target_is_written_in_place_not_replaced(tmp_path, evg):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, err = evg("report", "--format", "csv", "-o", str(fifo), *CORPUS)
    reader.join(timeout=60)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO: renaming over it would have replaced it
    assert got[0].startswith(b"rank,claim,slug,wording,status")


def test_a_regular_target_is_replaced_whole(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left
