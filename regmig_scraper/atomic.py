"""Atomic file replacement: a reader sees the old file or the new one, never half of either.

Every writer that replaces a file in place goes through here (the dataset store's Parquet
files, the resume journal's state, the HTML report, the incremental crawl's teaser
signatures, recorded snapshot pages), so there is one recipe instead of one per writer:

1. write to a temp file beside the target (same directory, hence same file system, so that
   the rename is atomic), named ``.<name>.tmp``: pyarrow datasets skip files starting with
   "." and DuckDB's ``*.parquet`` glob does not match the suffix;
2. flush and ``fsync`` it (``durable=True``), so that its content is on disk before its name;
3. ``os.replace`` it over the target;
4. ``fsync`` the directory (``durable=True``), so that the rename survives a power cut.

``durable=False`` skips both fsyncs: still atomic for readers and for a killed process, just
not across a power cut, for files that are cheap to redo (a recorded page).

No settings; standard library only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

TMP_PREFIX = "."  # pyarrow datasets skip "."/"_" files
TMP_SUFFIX = ".tmp"  # and the "*.parquet" glob of DuckDB does not match them


def tmp_path(target: Path) -> Path:
    """The temp file beside ``target``: ``.<name>.tmp`` in the same directory."""
    return target.with_name(f"{TMP_PREFIX}{target.name}{TMP_SUFFIX}")


def fsync_path(path: Path, *, directory: bool = False) -> None:
    """fsync a file (or, with ``directory``, a directory's entries) by path."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if directory else 0)
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(tmp: Path, target: Path, *, durable: bool = True) -> None:
    """Switch the finished ``tmp`` in as ``target`` (fsync'ed before and after the rename)."""
    if durable:
        fsync_path(tmp)
    os.replace(tmp, target)
    if durable:
        fsync_path(target.parent, directory=True)


@contextlib.contextmanager
def replacing(target: Path, *, durable: bool = True) -> Iterator[Path]:
    """Yield the temp path to write ``target``'s new content to; publish it when the block
    ends, remove it when the block raises (the target is then left as it was)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(target)
    try:
        yield tmp
        publish(tmp, target, durable=durable)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes, *, durable: bool = True) -> Path:
    """Replace ``target`` with ``data`` atomically; return ``target``."""
    with replacing(target, durable=durable) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: Path, text: str, *, encoding: str = "utf-8", durable: bool = True) -> Path:
    """Replace ``target`` with ``text`` atomically; return ``target``."""
    return write_bytes(target, text.encode(encoding), durable=durable)
