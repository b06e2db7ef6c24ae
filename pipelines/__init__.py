"""Item pipelines: one module per normalization concern, pure functions plus a thin Scrapy class."""
