"""Drafts: regular files only, a size limit, and time linear in the size."""

from __future__ import annotations

import os
import resource

import pytest

from graph.drafts.parse import MAX_DRAFT_BYTES

from .conftest import DATA, ROOT, evg_process


def _check(*args, timeout=60):
    return evg_process("check", *args, timeout=timeout)


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "draft.md"
    os.mkfifo(fifo)
    proc = _check(str(fifo), timeout=60)  # used to block forever waiting for a writer
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"evg: error: {fifo}: is a FIFO (named pipe), not a regular file\n"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/null", "/dev/null: is a device, not a regular file"),
        (str(DATA), f"Invalid value for 'DRAFT': File '{DATA}' is a directory. (see `evg check --help`)"),
    ],
)
def test_devices_and_folders_are_refused(path, message):
    proc = _check(path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"evg: error: {message}\n")


def test_a_draft_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.md"
    with open(big, "wb") as fh:
        fh.truncate(MAX_DRAFT_BYTES + 1)  # sparse: costs no disk
    proc = _check(str(big))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"evg: error: {big}: the draft is {MAX_DRAFT_BYTES + 1:,} bytes; "
        f"the limit is {MAX_DRAFT_BYTES:,} (split it into parts)\n"
    )
    assert "10,000,000 bytes" in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")


def _cpu_seconds_of_check(path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = _check(str(path), "--format", "json", timeout=900)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_a_5_mb_draft_checks_in_linear_time(tmp_path):
    # CPU time, not wall time: the test machine is shared. Varied sentences
    # (each paragraph numbered) so that nothing can be answered from a memo.
    base = (DATA / "drafts" / "labelled-draft.md").read_text(encoding="utf-8")
    body, refs = base.split("## References", 1) if "## References" in base else (base, "")

    def draft(size: int) -> str:
        parts, n, i = [], 0, 0
        while n < size:
            part = body.replace("runners", f"runners of group {i}").replace("band", f"band {i % 97}")
            parts.append(part)
            n += len(part)
            i += 1
        return "\n\n".join(parts) + ("\n\n## References" + refs if refs else "")

    small, large = tmp_path / "small.md", tmp_path / "large.md"
    small.write_text(draft(1_000_000), encoding="utf-8")
    large.write_text(draft(5_000_000), encoding="utf-8")
    t_small = _cpu_seconds_of_check(small)
    t_large = _cpu_seconds_of_check(large)
    assert t_large < 30, f"5 MB took {t_large:.1f} s of CPU"
    assert t_large < 7 * t_small, f"1 MB: {t_small:.1f} s, 5 MB: {t_large:.1f} s: not linear"
