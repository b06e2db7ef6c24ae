"""Speed and memory benchmarks of regmig-scraper (issue #6).

``python -m benchmarks --publications 5000`` generates a synthetic copy of the MPI program site
(``benchmarks.sitegen``), serves it on 127.0.0.1 and measures, side by side, a bare Scrapy spider
(``benchmarks.bare_spider``), the full ``regmig crawl``, the same crawl in ``--replay`` mode,
trafilatura over the same pages, the normalization pipelines stage by stage, and the dataset
store's Parquet write and cross-run merge. See ``benchmarks.run``.
"""
