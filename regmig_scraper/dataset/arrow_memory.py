"""Which allocator pyarrow uses in this process.

pyarrow's Linux wheels allocate with mimalloc by default. In a crawl, the dataset commit
allocates from two threads (the merge reads and merges ahead of the writer), and there mimalloc
kept far more memory than it used: the same 5,000-publication crawl peaked at 358 MB with
mimalloc and 286 MB with the C library's malloc, and a second run into that dataset at 434 MB
against 344 MB, for the same CPU time. So the crawler asks for the system allocator; pyarrow's
own ``ARROW_DEFAULT_MEMORY_POOL`` environment variable, when set, still decides.

No Scrapy import: the dataset pipeline applies the ``REGMIG_ARROW_MEMORY_POOL`` setting.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import pyarrow as pa

ENVIRONMENT_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"
POOLS: dict[str, Callable[[], pa.MemoryPool]] = {
    "system": pa.system_memory_pool,
    "jemalloc": pa.jemalloc_memory_pool,
    "mimalloc": pa.mimalloc_memory_pool,
}


def check_pool_name(name: str) -> None:
    """Raise ValueError unless ``name`` is a pool name or ``""`` (checked before a crawl)."""
    if name and name not in POOLS:
        raise ValueError(
            f"REGMIG_ARROW_MEMORY_POOL={name!r} is not a pyarrow memory pool; "
            f"use one of {', '.join(POOLS)} or an empty value for pyarrow's default"
        )


def use_memory_pool(name: str, *, environ: Mapping[str, str] = os.environ) -> str:
    """Make pool ``name`` pyarrow's default for this process; return the backend in use.

    ``""`` keeps pyarrow's choice, and so does a set ``ARROW_DEFAULT_MEMORY_POOL``. Arrays
    allocated before keep their own pool, so switching at any time is safe. Raises ValueError
    for a name that is not a pool, or a pool this pyarrow build lacks.
    """
    check_pool_name(name)
    if name and not environ.get(ENVIRONMENT_VARIABLE):
        try:
            pool = POOLS[name]()
        except NotImplementedError as exc:  # a build without jemalloc or mimalloc
            raise ValueError(
                f"REGMIG_ARROW_MEMORY_POOL={name!r}: this pyarrow build has no {name} ({exc})"
            ) from None
        pa.set_memory_pool(pool)
    return pa.default_memory_pool().backend_name
