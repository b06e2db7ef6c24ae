"""``LanguagePipeline`` sets ``language`` and ``language_confidence`` from ``title``, ``summary``,
``body_text``, ``content_lang``, ``og_locale`` and ``html_lang``.
Settings (defaults in ``regmig_scraper.settings``):

- ``REGMIG_LANGUAGE_ENABLED``: switch the pipeline off.
- ``REGMIG_LANGUAGE_LANGUAGES``: the only languages the detector knows.
- ``REGMIG_LANGUAGE_SEED``: langdetect's random seed.
- ``REGMIG_LANGUAGE_MIN_CONFIDENCE``: below it, page signals decide.

Stats: ``regmig/language/detected/<code>``, ``regmig/language/method/<method>``,
``regmig/language/undetermined``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pipelines import CountingPipeline, record_fields, site_rules
from regmig_scraper.normalize.language import UNDETERMINED, detector_factory, resolve_language

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

    from regmig_scraper.normalize.site_rules import SiteRules

logger = logging.getLogger(__name__)


class LanguagePipeline(CountingPipeline):
    """Set ``language`` and ``language_confidence`` on every item."""

    def __init__(
        self,
        *,
        languages: tuple[str, ...] = ("en", "es"),
        seed: int = 0,
        min_confidence: float = 0.80,
        rules: Mapping[str, SiteRules] | None = None,
        stats: StatsCollector | None = None,
    ) -> None:
        self.languages = tuple(languages)
        self.seed = seed
        self.min_confidence = min_confidence
        # The languages of each site that names its own; the setting's for the others.
        self.languages_by_site: dict[str | None, tuple[str, ...]] = {
            name: tuple(site.languages) for name, site in (rules or {}).items() if site.languages
        }
        super().__init__(stats)  # outcome counts, added to the stats in close_spider
        # Load the profiles now (once per process): a bad code fails here, not on the first item.
        for languages in {self.languages, *self.languages_by_site.values()}:
            detector_factory(languages, self.seed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("REGMIG_LANGUAGE_ENABLED"):
            raise NotConfigured("REGMIG_LANGUAGE_ENABLED is off")
        return cls.from_settings(crawler.settings, stats=crawler.stats)

    @classmethod
    def from_settings(
        cls, settings: BaseSettings, stats: StatsCollector | None = None
    ) -> LanguagePipeline:
        return cls(
            languages=tuple(settings.getlist("REGMIG_LANGUAGE_LANGUAGES")),
            seed=settings.getint("REGMIG_LANGUAGE_SEED"),
            min_confidence=settings.getfloat("REGMIG_LANGUAGE_MIN_CONFIDENCE"),
            rules=site_rules(settings),
            stats=stats,
        )

    def detector(self) -> Callable[[str | None, str | None], tuple[str, float]]:
        """``(title, summary) -> (language, confidence)`` with this pipeline's settings."""

        def detect(title: str | None, summary: str | None) -> tuple[str, float]:
            language, confidence, _ = resolve_language(
                title,
                summary,
                None,
                languages=self.languages,
                min_confidence=self.min_confidence,
                seed=self.seed,
            )
            return language, confidence

        return detect

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = record_fields(item)
        if adapter.get("source") == "listing":
            # A teaser's language only matters when its publication's page, which has far
            # more text, could not be read: the dataset pipeline decides it then.
            self._inc("regmig/language/deferred")
            return item
        language, confidence, method = resolve_language(
            adapter.get("title"),
            adapter.get("summary"),
            adapter.get("body_text"),
            content_lang=adapter.get("content_lang"),
            og_locale=adapter.get("og_locale"),
            html_lang=adapter.get("html_lang"),
            languages=self.languages_by_site.get(adapter.get("site"), self.languages),
            min_confidence=self.min_confidence,
            seed=self.seed,
            open_languages=adapter.get("site") not in self.languages_by_site,
        )
        adapter["language"] = language
        adapter["language_confidence"] = confidence
        self._inc(f"regmig/language/method/{method}")
        if language == UNDETERMINED:
            self._inc("regmig/language/undetermined")
            logger.debug("language undetermined for %s", adapter.get("url"))
        else:
            self._inc(f"regmig/language/detected/{language}")
        return item
