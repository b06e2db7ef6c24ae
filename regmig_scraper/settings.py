"""Scrapy settings of regmig-scraper: component wiring and safe defaults.

Politeness (delays, AutoThrottle, robots.txt Crawl-delay) and the User-Agent are applied by
``regmig_scraper.polite.PolitenessAddon`` from ``REGMIG_POLITE`` and ``REGMIG_CONTACT_URL`` when
the crawler starts, so that ``-s`` overrides still win.

Every ``REGMIG_*`` default is defined here and only here: components read them with Scrapy's
typed getters (``getbool``, ``getint``, ...) and no fallback of their own, and the README's
Settings table lists each with this default (``tests/test_settings.py`` checks both). This
module imports nothing, so Scrapy-free code (``regmig_scraper.quality``) can read it too.
"""

from __future__ import annotations

BOT_NAME = "regmig_scraper"
SPIDER_MODULES = ["regmig_scraper.spiders"]
NEWSPIDER_MODULE = "regmig_scraper.spiders"
# `scrapy crawl` checks the settings first and exits with the run's status, as `regmig crawl`
COMMANDS_MODULE = "regmig_scraper.commands"

# --- identity and politeness -------------------------------------------------------
# USER_AGENT is built when the crawler starts (regmig_scraper.polite.PolitenessAddon):
# "regmig-scraper/<version> (+REGMIG_CONTACT_URL)", unless USER_AGENT is set (-s USER_AGENT=...).
REGMIG_CONTACT_URL = "https://github.com/regmig-scraper/regmig-scraper"
ROBOTSTXT_OBEY = True
REGMIG_POLITE = True
# Settings are checked before any add-on reads them (regmig_scraper.config): a bad value or a
# misspelt REGMIG_* name is one clear line (a usage error), not a traceback mid-crawl.
ADDONS = {
    "regmig_scraper.config.SettingsCheckAddon": -100,
    "regmig_scraper.polite.PolitenessAddon": 0,
}
DOWNLOADER_MIDDLEWARES = {"regmig_scraper.polite.CrawlDelayMiddleware": 150}
REGMIG_MAX_CRAWL_DELAY = 60.0
CONCURRENT_REQUESTS = 16

# --- bounds: a hostile or broken site cannot stall or flood the crawl ----------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # also caps a decompressed gzip bomb
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 10
DNS_TIMEOUT = 20
DEPTH_LIMIT = 0  # pager depth is bounded by REGMIG_MAX_PAGER_PAGE instead
REGMIG_MAX_PAGER_PAGE = 10_000
# Listing (pager/tab) pages one run requests at most: a site that generates tab or pager
# links without end cannot keep the crawl going (links past it: regmig/listing/limit_reached).
REGMIG_MAX_LISTING_PAGES = 100_000
# Partial failures (pages failed, REGMIG_MAX_LISTING_PAGES reached) exit 3 instead of 0.
REGMIG_STRICT = False
COOKIES_ENABLED = False
# No console to the running crawl: a data tool opens no ports (Scrapy's telnet console, and
# the remote-control HTTP server of newer Scrapy versions).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

# --- extraction: which site module reads a start URL's pages -------------------------
# Site modules by name (import paths of their classes); each class's ``hosts`` say which
# start URLs it reads. REGMIG_SITES holds a project's additions (a None value removes a
# built-in site) and is merged over REGMIG_SITES_BASE.
REGMIG_SITES_BASE = {
    "mpi": "regmig_scraper.sites.mpi.MpiDrupalSite",
    "generic": "regmig_scraper.sites.generic.GenericSite",
}
REGMIG_SITES: dict[str, str | None] = {}
# A site name forced on every start URL; "" chooses by the start URL's host.
REGMIG_SITE = ""
# The site for a host no site module claims (a local mirror on 127.0.0.1, say).
REGMIG_SITE_FALLBACK = "generic"
# A TOML site profile helping the generic site module (--profile); empty: none.
REGMIG_PROFILE = ""

# --- normalization: each pipeline's switch and knobs (pipelines/*.py) ----------------
REGMIG_TEXT_ENABLED = True
REGMIG_TEXT_MAX_CHARS = 20_000  # title, summary, ... cut at a word boundary beyond this
REGMIG_TEXT_MAX_BODY_CHARS = 200_000  # the same for body_text
REGMIG_CONTENT_TYPES_ENABLED = True
REGMIG_CONTENT_TYPES_EXTRA: dict[str, str] = {}  # extra label -> type code mappings
REGMIG_DATES_ENABLED = True
REGMIG_DATES_ORDER = "MDY"  # order of numeric dates: MPI is a US site
# month and weekday names read; a site's SiteRules.languages replace them (MPI: en, es)
REGMIG_DATES_LANGUAGES = ["en", "es", "de", "fr", "pt", "it"]
REGMIG_DATES_MIN_YEAR = 1990  # earlier dates are implausible: kept raw, parsed null
# an event's date up to this many days after the crawl's date is kept, flagged "future"
REGMIG_DATES_FUTURE_DAYS = 730
# The crawl's date for the plausibility checks, ISO 8601; "" is the day the crawl starts.
# Pinned by tests and re-runs of old snapshots.
REGMIG_DATES_TODAY = ""
REGMIG_AUTHORS_ENABLED = True
# byline labels and conjunctions read ("By"/"Por"/"Von"/"Par"/"Di"); a site's SiteRules.languages
# replace them (MPI: en, es)
REGMIG_AUTHORS_LANGUAGES = ["en", "es", "de", "fr", "pt", "it"]
REGMIG_LANGUAGE_ENABLED = True
# languages detected from the text; a site's SiteRules.languages replace them (MPI: en, es)
REGMIG_LANGUAGE_LANGUAGES = ["en", "es", "de", "fr", "pt", "it"]
REGMIG_LANGUAGE_SEED = 0  # langdetect is random: a fixed seed makes detection deterministic
REGMIG_LANGUAGE_MIN_CONFIDENCE = 0.80  # below it, the page's own signals decide

# --- item pipelines: the order lives here and only here ----------------------------
ITEM_PIPELINES = {
    "pipelines.text.TextPipeline": 100,
    "pipelines.content_types.ContentTypePipeline": 200,
    "pipelines.dates.DatePipeline": 300,
    "pipelines.authors.AuthorsPipeline": 400,
    "pipelines.language.LanguagePipeline": 500,
    "pipelines.provenance.ProvenancePipeline": 800,  # counts each field's rule
    "pipelines.dataset.DatasetPipeline": 900,
}

# --- output ------------------------------------------------------------------------
REGMIG_OUTPUT = "output"
# The run's id (runs/, crawl_id); "" makes a fresh one: <UTC timestamp>Z-<pid>. A resumed run
# keeps the interrupted one's.
REGMIG_CRAWL_ID = ""
# A run whose share of filled values in a key column falls below these fails (exit 1) and
# writes nothing: the site's markup probably changed. {} turns the gate off. A run of the MPI
# program page comfortably meets them (every publication has a title and a detected
# language; undated items are a minority): a drop below means extraction broke.
REGMIG_MIN_FILL_RATES = {"title": 0.9, "published": 0.5, "language": 0.9}
# pyarrow's allocator in the crawling process: with the C library's malloc a crawl peaked about
# 20% lower than with pyarrow's default, mimalloc (see regmig_scraper.arrow_memory).
# "" keeps pyarrow's default; ARROW_DEFAULT_MEMORY_POOL, when set, decides.
REGMIG_ARROW_MEMORY_POOL = "system"
ADDONS = {**ADDONS, "regmig_scraper.arrow_memory.ArrowMemoryAddon": 20}

# --- Scrapy housekeeping -------------------------------------------------------------
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# --- operations: incremental crawls, resume, progress (see README) -------------------
# REGMIG_INCREMENTAL routes every request through Scrapy's HTTP cache in OUTPUT/.httpcache
# (regmig_scraper.incremental.IncrementalAddon); a publication page cached or revalidated
# less than REGMIG_REFETCH_AGE seconds ago is not requested again unless its teaser changed.
ADDONS = {**ADDONS, "regmig_scraper.incremental.IncrementalAddon": 10}
REGMIG_INCREMENTAL = False
REGMIG_REFETCH_AGE = 7 * 24 * 3600
# An incremental run stops walking a pager where its pages show nothing new; every
# REGMIG_FULL_EVERY-th run (0: never on a schedule) and a run with REGMIG_FULL_WALK
# (--full) walk every listing page, catching what moved deep, vanished or changed quietly.
# REGMIG_FULL_WALK without REGMIG_INCREMENTAL is a usage error (regmig_scraper.cli).
REGMIG_FULL_EVERY = 7
REGMIG_FULL_WALK = False
# One progress line every REGMIG_PROGRESS_INTERVAL seconds (0: off); in place on a terminal.
# While it is on, ProgressAddon turns Scrapy's LogStats off: one progress line, not two.
EXTENSIONS = {"regmig_scraper.progress.ProgressExtension": 500}
# A first Ctrl-C stops a crawl that cannot be resumed at once (regmig_scraper.shutdown).
EXTENSIONS = {**EXTENSIONS, "regmig_scraper.shutdown.PromptShutdown": 0}
ADDONS = {**ADDONS, "regmig_scraper.progress.ProgressAddon": 30}
REGMIG_PROGRESS_INTERVAL = 30.0

# --- distributed crawls: workers sharing one frontier in Redis (regmig_scraper.distributed) ---
# A Redis URL ("redis://HOST:6379/0"): `regmig crawl` seeds the shared frontier there and
# `regmig worker` crawls from it with scrapy-redis's scheduler and duplicate filter ("": one
# process). Needs the `distributed` extra.
REGMIG_REDIS_URL = ""
# A worker stops when the shared frontier (queued and in-flight requests of every worker) has
# been empty this many seconds.
REGMIG_REDIS_IDLE_TIMEOUT = 30.0
# A worker whose heartbeat is older than this is dead: its in-flight requests are queued again.
REGMIG_REDIS_WORKER_TIMEOUT = 60.0
