"""Pure normalizers: functions of strings and plain records, with no Scrapy.

Each module is one concern (``text``, ``dates``, ``authors``, ``language``,
``content_types``, ``urls``); the item pipelines in ``pipelines/`` are thin adapters over them,
and the import-linter contracts in ``pyproject.toml`` keep Scrapy, itemadapter, the pipelines
and the spiders out of this package.
"""
