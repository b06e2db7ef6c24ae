"""Which allocator pyarrow uses in the crawling process.

pyarrow's Linux wheels allocate with mimalloc by default. At the dataset commit, which
allocates from two threads (the merge reads and merges ahead of the writer), mimalloc kept far
more memory than it used: the same 5,000-publication crawl (``--replay``) peaked at 368 MB with
mimalloc and 283 MB with the C library's malloc, and a second run into that dataset at 406 MB
against 338 MB, for the same CPU time. So a crawl asks for the system allocator.

pyarrow's C++ core picks its allocator once, from ``ARROW_DEFAULT_MEMORY_POOL``, when pyarrow
is loaded; ``pyarrow.set_memory_pool`` afterwards only changes the pool of Python-level calls,
not that of the Parquet reader or of compute kernels. So the choice is made through that
variable, before pyarrow is imported: ``regmig crawl`` makes it first thing, and
``ArrowMemoryAddon`` makes it for ``scrapy crawl`` (addons run before the item pipelines, which
load pyarrow, are built). The variable, when already set, decides.

No Scrapy and no pyarrow import at module level.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from typing import Any

logger = logging.getLogger(__name__)

SETTING = "REGMIG_ARROW_MEMORY_POOL"
ENVIRONMENT_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
POOLS = ("system", "jemalloc", "mimalloc")


def check_pool_name(name: str) -> None:
    """Raise ValueError unless ``name`` is a pool name or ``""`` (pyarrow's default)."""
    if name and name not in POOLS:
        raise ValueError(
            f"{SETTING}={name!r} is not a pyarrow memory pool; "
            f"use one of {', '.join(POOLS)} or an empty value for pyarrow's default"
        )


def choose_memory_pool(name: str, environ: MutableMapping[str, str] = os.environ) -> bool:
    """Make pool ``name`` pyarrow's allocator for this process, if pyarrow is not loaded yet.

    ``""`` keeps pyarrow's default, and a set ``ARROW_DEFAULT_MEMORY_POOL`` is left alone.
    Returns False when the choice came too late: pyarrow was already loaded with another
    variable. Raises ValueError for a name that is not a pool.
    """
    check_pool_name(name)
    if not name or environ.get(ENVIRONMENT_VARIABLE):
        return True
    if "pyarrow" in sys.modules:
        return False
    environ[ENVIRONMENT_VARIABLE] = name
    return True


def memory_pool_in_use() -> str:
    """The backend pyarrow allocates with in this process ("system", "mimalloc", ...)."""
    import pyarrow as pa

    return pa.default_memory_pool().backend_name


class ArrowMemoryAddon:
    """Scrapy add-on: apply ``REGMIG_ARROW_MEMORY_POOL`` (default in settings.py) here."""

    def update_settings(self, settings: Any) -> None:
        name = settings.get(SETTING) or ""
        if not choose_memory_pool(name):
            logger.warning(
                "%s=%s not applied: pyarrow was loaded before the crawl started and "
                "allocates with %s; set %s=%s in the environment instead",
                SETTING,
                name,
                memory_pool_in_use(),
                ENVIRONMENT_VARIABLE,
                name,
            )
