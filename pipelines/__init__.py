"""Item pipelines: one module per normalization concern, pure functions plus a thin Scrapy class."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from itemadapter import ItemAdapter


def record_fields(item: Any) -> MutableMapping[str, Any]:
    """An item's fields, to read and write in place: a dict record (what the spider yields)
    as it is, any other item (a ``PublicationRecord``, a dataclass) through ``ItemAdapter``.

    Every pipeline reads and writes several fields of every record; on a dict that costs a
    tenth of the same access through ``ItemAdapter``.
    """
    return item if type(item) is dict else ItemAdapter(item)


def stats_counter(stats: Any) -> Callable[..., None] | None:
    """``stats.inc_value`` as a plain bound method, or None without stats.

    Scrapy 2.13+ reaches it through ``StatsCollector.__getattribute__`` and wraps it in a
    deprecation check of its ``spider`` argument (``functools.wraps``, so ``__wrapped__`` is the
    method itself); paid once per counted item, the two cost more than the count.
    """
    if stats is None:
        return None
    increment = stats.inc_value
    return getattr(increment, "__wrapped__", increment)
