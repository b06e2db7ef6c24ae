"""The shared frontier in Redis: the run, its workers, their in-flight requests, host rates.

Keys (``NAME`` is the spider's name, ``program``):

==================================  ===========================================================
``NAME:requests``                   scrapy-redis's priority queue (a sorted set of requests)
``NAME:dupefilter``                 scrapy-redis's duplicate filter (a set of fingerprints)
``regmig:NAME:run``                 the run: ``crawl_id``, ``started_at``, ``start_urls``
``regmig:NAME:workers``             the workers that joined and have not left
``regmig:NAME:alive:<worker>``      a worker's heartbeat, expiring after the worker timeout
``regmig:NAME:inflight:<worker>``   requests a worker took and has not finished with
``regmig:NAME:delay``               each host's robots.txt Crawl-delay (seconds)
``regmig:NAME:next:<host>``         when the next request to a host may go (ms, Redis clock)
``regmig:NAME:merging``             the worker that merges the parts
==================================  ===========================================================

A request is taken from the queue and recorded among the worker's in-flight requests in one
step (a Lua script), and struck off once everything its page gave has been handed on (its
records staged, the requests it found queued), its retry or redirect is queued, or it failed
for good. A request found on a page is queued and its fingerprint recorded in one step too. The
in-flight requests of a worker whose heartbeat expired are put back in the queue by any other
worker (``reap``), so a dead worker loses no request; one it had sent, or finished but not yet
struck off, is fetched once more (at least once, never lost). A worker taken for dead while
alive (a stall longer than the timeout) takes no request until its next heartbeat makes it a
worker of the run again.

No Scrapy import: requests come and go as scrapy-redis encodes them.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import redis

# KEYS: queue, inflight, workers; ARGV: in-flight id, worker. A worker declared dead (reaped)
# takes nothing until its next heartbeat has made it one of the run's workers again.
_POP = """
if redis.call('SISMEMBER', KEYS[3], ARGV[2]) == 0 then return false end
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], ARGV[1], r[2] .. '\\n' .. r[1])
return r[1]
"""

# KEYS: dupefilter, queue; ARGV: fingerprint ('' for a request not filtered), score, request.
# The fingerprint is recorded and the request queued in one step: a worker that dies between
# the two cannot leave a fingerprint whose request is in no queue (its page would be lost).
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

# KEYS: workers, alive; ARGV: worker, time to live (ms). 1: the worker was not in the run's
# workers (it had been reaped, its in-flight requests queued again) and is one again.
_BEAT = """
local added = redis.call('SADD', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
return added
"""

# KEYS: inflight, queue, workers, alive; ARGV: worker, "1" to requeue only a dead worker
_REQUEUE = """
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local values = redis.call('HVALS', KEYS[1])
for _, v in ipairs(values) do
  local i = string.find(v, '\\n', 1, true)
  redis.call('ZADD', KEYS[2], tonumber(string.sub(v, 1, i - 1)), string.sub(v, i + 1))
end
redis.call('DEL', KEYS[1], KEYS[4])
redis.call('SREM', KEYS[3], ARGV[1])
return #values
"""

# KEYS: queue, workers; ARGV: inflight key prefix
_BUSY = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 1 end
for _, w in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('HLEN', ARGV[1] .. w) > 0 then return 1 end
end
return 0
"""

# KEYS: next, delays; ARGV: host, base interval (ms). Returns ms to wait (0: go now).
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[2])
local delay = redis.call('HGET', KEYS[2], ARGV[1])
if delay then interval = math.max(interval, math.floor(tonumber(delay) * 1000)) end
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < nxt then return nxt - now end
if interval > 0 then
  redis.call('SET', KEYS[1], string.format('%d', now + interval), 'PX', interval + 60000)
end
return 0
"""

# KEYS: next; ARGV: ms from now before the host's next request
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > nxt then
  redis.call('SET', KEYS[1], string.format('%d', until_), 'PX', tonumber(ARGV[1]) + 60000)
end
return 0
"""


@dataclass(frozen=True)
class RunInfo:
    """What the seeding said about the run."""

    crawl_id: str
    started_at: str  # ISO 8601, UTC
    start_urls: list[str]


class RunInProgressError(Exception):
    """Seeding found a run that has not ended."""


def new_worker_id() -> str:
    import os
    import socket

    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Frontier:
    """The shared state of one distributed crawl in Redis."""

    def __init__(self, url: str, name: str = "program") -> None:
        self.url = url
        self.name = name
        self.server = redis.Redis.from_url(url)
        self.queue_key = f"{name}:requests"
        self.dupefilter_key = f"{name}:dupefilter"
        prefix = f"regmig:{name}:"
        self.prefix = prefix
        self.run_key = prefix + "run"
        self.workers_key = prefix + "workers"
        self.delay_key = prefix + "delay"
        self.merging_key = prefix + "merging"
        self._pop = self.server.register_script(_POP)
        self._push = self.server.register_script(_PUSH)
        self._beat = self.server.register_script(_BEAT)
        self._requeue = self.server.register_script(_REQUEUE)
        self._busy = self.server.register_script(_BUSY)
        self._acquire = self.server.register_script(_ACQUIRE)
        self._hold = self.server.register_script(_HOLD)

    def alive_key(self, worker: str) -> str:
        return f"{self.prefix}alive:{worker}"

    def inflight_key(self, worker: str) -> str:
        return f"{self.prefix}inflight:{worker}"

    def next_key(self, host: str) -> str:
        return f"{self.prefix}next:{host}"

    def ping(self) -> None:
        self.server.ping()

    # ------------------------------------------------------------------ the run

    def run(self) -> RunInfo | None:
        values = self.server.hgetall(self.run_key)
        if not values:
            return None
        text = {k.decode(): v.decode() for k, v in values.items()}
        return RunInfo(text["crawl_id"], text["started_at"], json.loads(text["start_urls"]))

    def begin(self, run: RunInfo) -> None:
        """Record a new run (raises ``RunInProgressError`` when one has not ended), after
        clearing what a run that ended badly left behind."""
        current = self.run()
        if current is not None:
            raise RunInProgressError(
                f"a distributed run is in progress in {self.url} (crawl {current.crawl_id}): "
                "start workers to finish it (regmig worker), or delete its keys "
                f"(redis-cli --scan --pattern 'regmig:{self.name}:*', '{self.name}:*')"
            )
        self.clear()
        self.server.hset(
            self.run_key,
            mapping={
                "crawl_id": run.crawl_id,
                "started_at": run.started_at,
                "start_urls": json.dumps(run.start_urls),
            },
        )

    def clear(self, *, keep_merge_claim: bool = False) -> None:
        """Remove every key of the run (its end, or the leftovers of one that ended badly).

        At a run's end the merge claim stays (``keep_merge_claim``; it expires by itself): a
        worker that finds the run over only after the merge must not claim a second merge.
        Seeding a new run (``begin``) clears it."""
        keys = [self.queue_key, self.dupefilter_key]
        keys += list(self.server.scan_iter(match=f"{self.prefix}*", count=1000))
        if keep_merge_claim:
            keys = [key for key in keys if key not in (self.merging_key, self.merging_key.encode())]
        if keys:
            self.server.delete(*keys)

    def wait_for_run(self, timeout: float, poll: float = 0.5) -> RunInfo | None:
        deadline = time.monotonic() + timeout
        while True:
            run = self.run()
            if run is not None or time.monotonic() >= deadline:
                return run
            time.sleep(poll)

    # ------------------------------------------------------------------ workers

    def join(self, worker: str, timeout: float) -> None:
        self.heartbeat(worker, timeout)

    def heartbeat(self, worker: str, timeout: float) -> bool:
        """Keep ``worker`` alive for ``timeout`` seconds more. True when it had been taken
        for dead (a heartbeat older than the timeout: its in-flight requests went back to
        the queue): it is one of the run's workers again from now on."""
        ttl = max(1, int(timeout * 1000))
        added = self._beat(keys=[self.workers_key, self.alive_key(worker)], args=[worker, ttl])
        return bool(added)

    def workers(self) -> list[str]:
        return sorted(w.decode() for w in self.server.smembers(self.workers_key))

    def reap(self) -> int:
        """Put the in-flight requests of dead workers back in the queue; how many."""
        requeued = 0
        for worker in self.workers():
            count = self._requeue_of(worker, only_if_dead=True)
            if count >= 0:
                requeued += int(count)
        return requeued

    def leave(self, worker: str, *, requeue: bool) -> None:
        """Leave the run: in-flight requests go back to the queue (``requeue``) or are
        dropped (the worker finished them all)."""
        if not requeue:
            self.server.delete(self.inflight_key(worker))
        self._requeue_of(worker, only_if_dead=False)

    def _requeue_of(self, worker: str, *, only_if_dead: bool) -> int:
        """Run the requeue script for ``worker``: its in-flight requests back in the queue and
        the worker out of the run (-1: ``only_if_dead`` and the worker is alive)."""
        keys = [self.inflight_key(worker), self.queue_key, self.workers_key,
                self.alive_key(worker)]  # fmt: skip
        return int(self._requeue(keys=keys, args=[worker, "1" if only_if_dead else "0"]))

    def busy(self) -> bool:
        """Whether any request is queued or in flight in any worker."""
        return bool(
            self._busy(keys=[self.queue_key, self.workers_key], args=[self.prefix + "inflight:"])
        )

    def queued(self) -> int:
        return int(self.server.zcard(self.queue_key))

    def claim_merge(self, worker: str) -> bool:
        """True for exactly one of the workers that find the run over."""
        return bool(self.server.set(self.merging_key, worker, nx=True, ex=24 * 3600))

    # ------------------------------------------------------------------ requests

    def pop(self, worker: str) -> tuple[str, bytes] | None:
        """Take the first request of the queue into ``worker``'s in-flight ones (none while
        the worker is not one of the run's workers: taken for dead, or not joined)."""
        inflight_id = uuid.uuid4().hex
        data = self._pop(
            keys=[self.queue_key, self.inflight_key(worker), self.workers_key],
            args=[inflight_id, worker],
        )
        return None if data is None else (inflight_id, data)

    def push(self, data: bytes, priority: int, fingerprint: str | None) -> bool:
        """Queue an encoded request unless its ``fingerprint`` was seen (None: not filtered);
        whether it was queued. Fingerprint and queue change in one step."""
        queued = self._push(
            keys=[self.dupefilter_key, self.queue_key],
            args=[fingerprint or "", -priority, data],
        )
        return bool(queued)

    def done(self, worker: str, inflight_ids: Iterable[str]) -> None:
        ids = list(inflight_ids)
        if ids:
            self.server.hdel(self.inflight_key(worker), *ids)

    def clear_inflight(self, worker: str) -> int:
        count = int(self.server.hlen(self.inflight_key(worker)))
        self.server.delete(self.inflight_key(worker))
        return count

    # ------------------------------------------------------------------ politeness

    def acquire(self, host: str, interval: float) -> float:
        """Seconds to wait before a request to ``host`` may go; 0 reserves it now."""
        wait_ms = self._acquire(
            keys=[self.next_key(host), self.delay_key],
            args=[host, max(0, int(interval * 1000))],
        )
        return int(wait_ms) / 1000

    def set_crawl_delay(self, host: str, delay: float) -> None:
        self.server.hset(self.delay_key, host, repr(float(delay)))

    def hold(self, host: str, seconds: float) -> None:
        """No request to ``host`` for ``seconds`` (a Retry-After), whichever worker sends it."""
        self._hold(keys=[self.next_key(host)], args=[max(0, int(seconds * 1000))])
