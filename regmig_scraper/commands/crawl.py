"""``scrapy crawl`` with the project's checks and exit status, as ``regmig crawl`` has them.

Scrapy's own ``crawl`` exits 0 whatever the run did (only a crawler that failed to start
exits 1), so a scheduler running ``scrapy crawl program`` (scrapyd, cron) could not tell a
failed run from a good one. This command checks the settings first (a bad value is a usage
error, exit 2, one line) and exits with the status the run decided (``regmig_scraper.status``:
0, 1, 3), as ``regmig crawl`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from regmig_scraper.config import check_settings
from regmig_scraper.status import recorded_exit

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's own usage errors
            return
        assert self.settings is not None and self.crawler_process is not None
        problems = check_settings(self.settings)
        if problems:
            raise UsageError("; ".join(problems), print_help=False)
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = 1
            return
        self.exitcode = recorded_exit(crawler.stats.get_stats())[0]
