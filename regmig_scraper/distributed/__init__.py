"""Distributed crawls: worker processes on any number of machines share one frontier in Redis.

Built on scrapy-redis (the ``distributed`` extra): its scheduler, priority queue and duplicate
filter, with what it lacks added here:

- ``frontier``: the run, the workers and their heartbeats, each worker's in-flight requests
  (put back in the queue when a worker dies), the shared per-host rate limit (no Scrapy);
- ``components``: the Scrapy side of a worker: scheduler, middlewares that strike requests
  off when they are done, the rate-limited download handler, the part pipeline, the
  extension that ends a worker when the frontier has been empty for a while;
- ``commands``: ``regmig crawl --redis-url`` (seed), ``regmig worker``, ``regmig merge``.

Each worker stages its records in a part of its own (``regmig_scraper.dataset.parts``); the
last worker to finish merges them with the single-process run's machinery.
"""
