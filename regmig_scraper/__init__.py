"""regmig-scraper: think-tank program pages into clean, deduplicated Parquet datasets."""

__version__ = "0.1.0"
