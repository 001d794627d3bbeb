"""The orchestrator's side of a step: run it in its own worker process, log, save its result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from .settings import MARK, PYTHON, ROOT, RUN, WORK


def log(msg: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


def run_step(step: str, url: str, args: dict, timeout: int = 3600) -> dict:
    env = dict(os.environ, DANGVU_DATABASE_URL=url, DANGVU_DATA_DIR=str(WORK / "data"), PYTHONUNBUFFERED="1")
    t = time.perf_counter()
    proc = subprocess.run([PYTHON, str(RUN), "worker", step, json.dumps(args)], env=env,
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        log(f"  {step} FAILED (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        return {"error": (proc.stderr or proc.stdout)[-2000:]}
    result = json.loads(lines[-1][len(MARK):])
    log(f"  {step} done in {time.perf_counter() - t:.0f} s")
    return result


def save(backend: str, r: dict) -> None:
    (WORK / f"results_{backend}.json").write_text(json.dumps(r, indent=1, default=str))
