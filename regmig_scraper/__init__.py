"""regmig-scraper: think-tank program pages into clean, deduplicated Parquet datasets."""

import importlib

__version__ = "0.1.0"


def __getattr__(name: str):
    """``regmig_scraper.extract``, imported on first use: it loads Scrapy and the pipelines,
    which the pure layers importing this package (``dataset``, ``normalize``) must not."""
    if name == "extract":
        return importlib.import_module("regmig_scraper.api").extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["__version__", "extract"]
