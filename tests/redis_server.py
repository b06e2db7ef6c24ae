"""A real redis-server for the tests that need one (``@pytest.mark.redis``).

``REGMIG_TEST_REDIS_URL`` names a Redis the tests may flush; otherwise each test starts
``redis-server`` on a free 127.0.0.1 port (no persistence) and stops it. Without either, or
without the ``distributed`` extra, the tests are skipped with the reason, never passed.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

URL_VARIABLE = "REGMIG_TEST_REDIS_URL"
START_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def skip_without_redis() -> None:
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError:
        pytest.skip("the distributed extra is not installed: pip install -e '.[distributed]'")
    if not os.environ.get(URL_VARIABLE) and shutil.which("redis-server") is None:
        pytest.skip(f"no redis-server on PATH and no {URL_VARIABLE}: apt-get install redis-server")


@contextmanager
def redis_url(directory: Path) -> Iterator[str]:
    """A Redis URL for one test: the given server (flushed), or a redis-server of its own."""
    import redis

    skip_without_redis()
    given = os.environ.get(URL_VARIABLE)
    if given:
        redis.Redis.from_url(given).flushdb()
        yield given
        return
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
            "--appendonly", "no", "--dir", str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
