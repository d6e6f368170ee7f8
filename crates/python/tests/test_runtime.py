"""Solves release the GIL and stop at Ctrl-C."""

import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import regpath
from conftest import regression


def test_the_gil_is_released_during_a_solve():
    """Python code runs in another thread while a solve is in progress: with the GIL held,
    the loop below would stand still for the whole solve."""
    X, y = regression(n=200, p=4000, informative=20, seed=31)  # about 0.5 s
    took = {}

    def solve():
        t = time.perf_counter()
        regpath.enet_path(X, y, n_alphas=100, eps=3e-2, tol=1e-10, threads=1)
        took["seconds"] = time.perf_counter() - t

    worker = threading.Thread(target=solve)
    worker.start()
    last = time.perf_counter()
    longest = 0.0  # the longest the loop was kept from running
    while worker.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    seconds = took["seconds"]
    assert seconds > 0.1, f"the solve took {seconds:.3f} s: too short to tell"
    assert longest < seconds / 3, f"Python stood still {longest:.3f} s of a {seconds:.3f} s solve"


CTRL_C = """
import time, numpy as np, regpath
rng = np.random.default_rng(0)
X = rng.standard_normal((100, 2000)); y = X[:, :10].sum(axis=1) + rng.standard_normal(100)
print("solving", flush=True)
t = time.perf_counter()
try:
    # batched FISTA to a gap of 1e-12 on p >> n: minutes uninterrupted
    regpath.enet_path(X, y, solver="cpu-fista", tol=1e-12, eps=1e-4, threads=1)
    print("finished", flush=True)
except KeyboardInterrupt:
    print(f"interrupted {time.perf_counter() - t:.2f}", flush=True)
# Python goes on, and so do the solvers
_, _, _, cert = regpath.enet_path(X[:, :20], y, n_alphas=5)
print("again", bool(cert["converged"].all()), flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_ctrl_c_interrupts_a_long_solve():
    # The child starts with SIGINT at its default, as from a terminal: a test run started in the
    # background of a non-interactive shell inherits SIGINT ignored, and Python then installs no
    # KeyboardInterrupt handler at all (the child ran on, uninterrupted, in such CI runs).
    proc = subprocess.Popen(
        [sys.executable, "-c", CTRL_C],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout.readline().strip() == "solving"
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            # what it printed says where it stood: interrupted or not, the second solve or exit
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"still running 30 s after Ctrl-C; stdout {out!r}, stderr {err!r}")
        waited = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    lines = out.split("\n")
    assert lines[0].startswith("interrupted"), out
    assert "again True" in out
    assert waited < 10, f"the process ended {waited:.1f} s after Ctrl-C"
