"""Item pipelines: one module per normalization concern, pure functions plus a thin Scrapy class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, MutableMapping
from typing import Any

from itemadapter import ItemAdapter

from regmig_scraper.normalize.site_rules import NO_RULES, SiteRules


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


class StageCounts:
    """A pipeline's outcome counts, kept here and added to the crawl's stats by ``flush``.

    Pipelines count several outcomes per item; a Counter costs a tenth of what Scrapy's
    ``StatsCollector.inc_value`` costs per call (its ``__getattribute__`` runs for every
    attribute it touches). Pipelines flush in ``close_spider``, which Scrapy calls before the
    ``spider_closed`` signal where the run's summary and ``runs/`` record read the stats.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.counts: Counter[str] = Counter()

    def inc(self, key: str) -> None:
        self.counts[key] += 1

    def flush(self) -> None:
        """Add the counts to the crawl's stats (sorted, so the order is stable) and reset."""
        if self.stats is not None:
            for key, count in sorted(self.counts.items()):
                self.stats.inc_value(key, count)
        self.counts.clear()


class CountingPipeline:
    """Base of the normalization pipelines: ``_inc`` counts an outcome in ``StageCounts``, and
    ``close_spider`` adds the counts to the crawl's stats."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.counts = StageCounts(stats)

    def _inc(self, key: str) -> None:
        self.counts.inc(key)

    def close_spider(self, spider: Any = None) -> None:
        self.counts.flush()


def site_rules(settings: Any) -> dict[str, SiteRules]:
    """Each registered site's additions to the normalizers (its class's ``rules``, or what
    its ``rules_for(settings)`` says when the settings shape them, as a site profile does), by
    name.

    The sites are the ones the spider chooses from (``REGMIG_SITES`` over
    ``REGMIG_SITES_BASE``); a record names its site in ``record["site"]``.
    """
    from regmig_scraper.sites.registry import load_sites

    return {
        name: site.rules_for(settings)
        if hasattr(site, "rules_for")
        else getattr(site, "rules", NO_RULES)
        for name, site in load_sites(settings).items()
    }
