"""A Scrapy extension for memory investigations: what the crawl process holds, and when.

Enable it on a crawl with ``-s 'EXTENSIONS={"benchmarks.memprobe.MemProbe": 0}'`` (this
replaces the project's extensions for that run) and ``-s MEMPROBE_PATH=/tmp/mem.jsonl``. Every
``MEMPROBE_INTERVAL`` seconds (default 60) and when the spider closes (before the dataset
pipeline merges and writes: extensions connect to ``spider_closed`` first) it appends one JSON
line: RSS, the live objects by type (top 15 by count), the fill of every ``functools.lru_cache``
in the project's modules, and the scheduler's queue length. Not for benchmarks: ``gc`` walks
cost a second or two each.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.measure import rss_mb

PROJECT_MODULES = ("pipelines.", "regmig_scraper.")


def _lru_caches() -> dict[str, dict[str, int]]:
    caches = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(PROJECT_MODULES) or module is None:
            continue
        for attr, value in vars(module).items():
            info = getattr(value, "cache_info", None)
            if callable(info):
                stats = info()
                caches[f"{name}.{attr}"] = {"size": stats.currsize, "max": stats.maxsize or -1}
    return caches


def snapshot(label: str, crawler: Any = None) -> dict[str, Any]:
    import os

    started = time.perf_counter()
    types = Counter(type(o).__name__ for o in gc.get_objects())
    data: dict[str, Any] = {
        "label": label,
        "time": round(time.time(), 1),
        "rss_mb": rss_mb(os.getpid()),
        "objects": dict(types.most_common(15)),
        "lru_caches": _lru_caches(),
    }
    engine = getattr(crawler, "engine", None)
    slot = getattr(engine, "_slot", None)
    scheduler = getattr(slot, "scheduler", None)
    if scheduler is not None:
        with contextlib.suppress(TypeError):
            data["scheduler_pending"] = len(scheduler)
    data["probe_s"] = round(time.perf_counter() - started, 2)
    return data


class MemProbe:
    def __init__(self, crawler: Any, path: Path, interval: float) -> None:
        self.crawler = crawler
        self.path = path
        self.interval = interval
        self._task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> MemProbe:
        from scrapy import signals

        path = Path(crawler.settings.get("MEMPROBE_PATH", "memprobe.jsonl"))
        probe = cls(crawler, path, crawler.settings.getfloat("MEMPROBE_INTERVAL", 60.0))
        crawler.signals.connect(probe.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(probe.spider_closed, signal=signals.spider_closed)
        return probe

    def _write(self, label: str) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(snapshot(label, self.crawler)) + "\n")

    def spider_opened(self, spider: Any = None) -> None:
        from twisted.internet import task

        self._write("opened")
        self._task = task.LoopingCall(self._write, "tick")
        self._task.start(self.interval, now=False)

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        self._write("closing (before the dataset commit)")
