"""Kill a checkpointed ``cayley growth`` at any moment (SIGINT, SIGKILL; before, during
and after its saves); rerunning the same command resumes to the uninterrupted growth."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

ENV = {**os.environ, "NUMBA_NUM_THREADS": "1"}
GROWTH = {}


def _default_sigint():
    """In the child, before exec: SIGINT back to its default. A launcher that ignores it
    (a shell's background job) would otherwise pass SIG_IGN on, and Python then installs no
    KeyboardInterrupt handler, so the SIGINT these tests send would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _cmd(engine, ck, *extra):
    return [sys.executable, "-m", "cayley", "growth", "S_9", "--gens", "lrx", "--engine", engine,
            "--checkpoint", str(ck), "--format", "csv", *extra]


def _growth(stdout: str) -> list[int]:
    return [int(line.split(",")[1]) for line in stdout.strip().splitlines()[1:]]


def _full(engine, tmp_path):
    if engine not in GROWTH:
        r = subprocess.run(_cmd(engine, tmp_path / "full"), capture_output=True, text=True, env=ENV, timeout=120)
        assert r.returncode == 0, r.stderr
        GROWTH[engine] = _growth(r.stdout)
    return GROWTH[engine]


def _resume(engine, ck):
    r = subprocess.run(_cmd(engine, ck, "--checkpoint-every", "0"), capture_output=True, text=True, env=ENV,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert not any(p.name.endswith(".tmp") for p in ck.iterdir()), sorted(p.name for p in ck.iterdir())
    return r


@pytest.mark.parametrize("engine", ["hash", "rank"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
@pytest.mark.parametrize("moment", ["first-save", "save-3", "save-6"])
def test_kill_during_a_save_then_resume(tmp_path, engine, sig, moment):
    """CAYLEY_TEST_SAVE_HOOK makes the n-th save stop (and wait to be killed) after its
    data files are written, before its meta.json is in place."""
    full = _full(engine, tmp_path)
    ck = tmp_path / "ck"
    nth = {"first-save": 1, "save-3": 3, "save-6": 6}[moment]
    env = {**ENV, "CAYLEY_TEST_SAVE_HOOK": str(nth)}
    proc = subprocess.Popen(_cmd(engine, ck, "--checkpoint-every", "0"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_default_sigint)
    try:
        line = proc.stderr.readline()
        assert "save hook" in line, line + proc.stderr.read()
        os.kill(proc.pid, sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    r = _resume(engine, ck)
    assert _growth(r.stdout) == full
    if nth == 1:
        assert "resuming" not in r.stderr  # nothing complete was saved: a fresh start
    else:
        assert f"resuming from depth {nth - 1}" in r.stderr


@pytest.mark.parametrize("engine", ["hash", "rank"])
def test_kill_at_random_moments_then_resume(tmp_path, engine):
    full = _full(engine, tmp_path)
    rng = random.Random(17)
    ck = tmp_path / "ck"
    for _ in range(4):  # bounded: a few kills at random moments of the same folder
        proc = subprocess.Popen(_cmd(engine, ck, "--checkpoint-every", "0"), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=ENV, preexec_fn=_default_sigint)
        time.sleep(rng.uniform(0.5, 3.0))
        os.kill(proc.pid, rng.choice([signal.SIGKILL, signal.SIGINT]))
        proc.communicate(timeout=60)
    assert _growth(_resume(engine, ck).stdout) == full


def test_second_run_on_a_folder_in_use_is_a_one_line_error(tmp_path):
    ck = tmp_path / "ck"
    env = {**ENV, "CAYLEY_TEST_SAVE_HOOK": "2"}
    proc = subprocess.Popen(_cmd("hash", ck), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert "save hook" in proc.stderr.readline()
        r = subprocess.run(_cmd("hash", ck), capture_output=True, text=True, env=ENV, timeout=60)
        assert r.returncode == 2 and r.stderr.startswith("error: ") and "in use" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    finally:
        proc.kill()
        proc.wait()
