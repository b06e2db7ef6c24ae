"""Measure a subprocess from outside: wall time, CPU seconds, peak RSS; and serve a site.

``run_measured(cmd)`` starts ``cmd``, reaps it with ``os.wait4`` (which returns the child's own
``rusage``: user and system CPU seconds and ``ru_maxrss``, its peak resident set size, in KiB on
Linux) and returns a ``Measurement`` with an RSS timeline sampled from ``/proc/<pid>/status``
every ``SAMPLE_EVERY_S`` (reading /proc does not slow the child). ``ProcessCpu`` reads another
process's CPU seconds from ``/proc/<pid>/stat`` (used for the mirror server, which runs in its
own process so that its CPU time is not counted against the crawler).

``SiteServer`` serves a directory with ``regmig_scraper.mirror.serving`` in a separate process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
SAMPLE_EVERY_S = 0.5  # RSS sampling period (reading /proc does not slow the child)
TIMELINE_POINTS = 120  # samples kept in the timeline (evenly thinned)


def rss_mb(pid: int) -> float | None:
    """Current resident set size of ``pid`` in MB (VmRSS), None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _thin(samples: list[tuple[float, float]], points: int) -> list[tuple[float, float]]:
    if len(samples) <= points:
        return samples
    step = len(samples) / points
    kept = [samples[int(i * step)] for i in range(points)]
    peak = max(samples, key=lambda s: s[1])
    if peak not in kept:
        kept.append(peak)
    return sorted(kept)


@dataclass
class Measurement:
    """What one measured subprocess cost."""

    command: list[str]
    exit_code: int | None
    wall_s: float
    user_s: float
    sys_s: float
    peak_rss_mb: float
    timed_out: bool = False
    log: str | None = None
    # (seconds since start, RSS MB) samples from /proc, at most TIMELINE_POINTS of them
    rss_timeline: list[tuple[float, float]] | None = None

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cpu_s"] = round(self.cpu_s, 3)
        for key in ("wall_s", "user_s", "sys_s", "peak_rss_mb"):
            data[key] = round(data[key], 3)
        return data


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | str | None = None,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    timeout: float | None = None,
) -> Measurement:
    """Run ``command`` to completion (killing it after ``timeout`` s) and measure it."""
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        deadline = None if timeout is None else started + timeout
        samples: list[tuple[float, float]] = []
        next_sample = started
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if now >= next_sample:
                rss = rss_mb(process.pid)
                if rss is not None:
                    samples.append((round(now - started, 2), round(rss, 1)))
                next_sample = now + SAMPLE_EVERY_S
            if deadline is not None and time.perf_counter() > deadline:
                timed_out = True
                os.killpg(process.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log_path:
            log.close()  # type: ignore[union-attr]
    return Measurement(
        command=list(command),
        exit_code=process.returncode,
        wall_s=wall,
        user_s=usage.ru_utime,
        sys_s=usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        timed_out=timed_out,
        log=str(log_path) if log_path else None,
        rss_timeline=_thin(samples, TIMELINE_POINTS),
    )


class ProcessCpu:
    """CPU seconds (user + system, all threads) of a running process, from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def seconds(self) -> float:
        try:
            text = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return float("nan")
        fields = text[text.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _serve(root: str, queue: Any) -> None:  # pragma: no cover - runs in the server process
    from regmig_scraper.mirror import serving

    with serving(Path(root)) as base_url:
        queue.put(base_url)
        threading.Event().wait()


class SiteServer:
    """``regmig_scraper.mirror.serving(root)`` in its own process; a context manager."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.process: Any = None
        self.base_url = ""

    def __enter__(self) -> SiteServer:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        self.process = context.Process(target=_serve, args=(str(self.root), queue), daemon=True)
        self.process.start()
        deadline = time.monotonic() + 60
        while not self.base_url:
            try:
                self.base_url = queue.get(timeout=0.5)
            except Exception:  # queue.Empty: is the server still starting, or dead?
                if not self.process.is_alive() or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"the mirror server for {self.root} did not start") from None
        return self

    @property
    def cpu(self) -> ProcessCpu:
        return ProcessCpu(self.process.pid)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.join(10)
            self.process = None
