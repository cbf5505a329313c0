"""Progress off a terminal: with --progress, plain lines in a log; without it, silence."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from cayley.cli.progress import LineLog, count_progress, loss_progress


def _cayley(*args, env_extra=None):
    env = dict(os.environ, CAYLEY_PROGRESS_SECONDS="0", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "cayley", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_growth_progress_writes_lines_when_stderr_is_a_file():
    r = _cayley("growth", "S_7", "--gens", "lrx", "--progress", "--format", "csv")
    assert r.returncode == 0, r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith("S_7 lrx")]
    assert len(lines) >= 2, r.stderr
    last = lines[-1]
    assert "5,040 states" in last and "100.0%" in last and "states/s" in last and "MiB" in last
    assert "\x1b[" not in r.stderr  # no terminal control codes in a log
    assert r.stdout.splitlines()[0] == "depth,states"  # stdout stays clean


def test_growth_without_progress_is_silent_off_a_terminal():
    r = _cayley("growth", "S_6", "--gens", "lrx", "--format", "csv")
    assert r.returncode == 0 and r.stderr == ""


def test_line_log_holds_back_lines_within_the_interval_and_writes_the_last_on_close():
    out = io.StringIO()
    log = LineLog("job", stream=out, interval=3600.0)
    log.line("step 1")
    log.line("step 2")
    log.line("step 3")
    assert out.getvalue().count("\n") == 1 and "step 1" in out.getvalue()
    log.close()
    assert out.getvalue().splitlines()[-1].startswith("job: step 3,")


def test_loss_and_count_progress_lines(monkeypatch, capsys):
    monkeypatch.setenv("CAYLEY_PROGRESS_SECONDS", "0")
    with loss_progress(True, "train") as cb:
        for step in range(1, 4):
            cb(step, 3, 1.0 / step)
    with count_progress(True, "solving") as cb:
        cb(1, 2)
        cb(2, 2)
    err = capsys.readouterr().err.splitlines()
    assert any(x.startswith("train: step 3/3, loss 0.3333") for x in err), err
    assert any(x.startswith("solving: 2/2") for x in err), err
    with loss_progress(None, "quiet") as cb:  # default off a terminal: nothing
        assert cb is None
