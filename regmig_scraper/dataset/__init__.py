"""The Parquet dataset store: explicit schema, per-run staging, crash-safe cross-run merge.

- ``schema``: ``PUBLICATIONS_SCHEMA``, ``RUNS_SCHEMA``, ``content_hash``, ``rows_to_table``,
  schema versions and upgrades (``read_dataset_table``).
- ``staging``: ``RunStaging``, a run's sightings on disk, grouped by publication.
- ``store``: ``DatasetStore`` (lock, read, commit) with ``RunInfo`` and ``CommitResult``.
- ``journal``: ``JobState``, a resumable run's crawl id, record journal and carried stats.
- ``run``: ``RunWriter``, one run from the first staged record to the commit (merge, quality
  gate, the exit status decided once, commit); ``pipelines.dataset`` adapts it to Scrapy.

Pure Python + pyarrow; no Scrapy import (``tests/test_layers.py`` checks it).
"""

from __future__ import annotations

from regmig_scraper.dataset.schema import (
    CONTENT_FIELDS,
    PUBLICATIONS_INPUT_SCHEMA,
    PUBLICATIONS_SCHEMA,
    PUBLICATIONS_UPGRADES,
    RUNS_SCHEMA,
    SCHEMA_VERSION,
    DatasetError,
    SchemaMismatchError,
    content_hash,
    read_dataset_table,
    rows_to_table,
)
from regmig_scraper.dataset.staging import RunStaging
from regmig_scraper.dataset.store import (
    CommitResult,
    DatasetLockedError,
    DatasetStore,
    RunInfo,
)

__all__ = [
    "CONTENT_FIELDS",
    "PUBLICATIONS_INPUT_SCHEMA",
    "PUBLICATIONS_SCHEMA",
    "PUBLICATIONS_UPGRADES",
    "RUNS_SCHEMA",
    "SCHEMA_VERSION",
    "CommitResult",
    "DatasetError",
    "DatasetLockedError",
    "DatasetStore",
    "RunInfo",
    "RunStaging",
    "SchemaMismatchError",
    "content_hash",
    "read_dataset_table",
    "rows_to_table",
]
