"""regmig_scraper.atomic: a target is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from regmig_scraper import atomic


def test_write_text_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "teasers.json"
    atomic.write_text(target, "old")
    atomic.write_text(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["teasers.json"]


@pytest.mark.parametrize("durable", [True, False])
def test_write_bytes(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "page.html"
    assert atomic.write_bytes(target, b"<p>", durable=durable) == target
    assert target.read_bytes() == b"<p>"


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic.replacing(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed mid-write")
    assert target.read_text() == "old"
    assert not atomic.tmp_path(target).exists()


def test_temp_file_is_hidden_from_dataset_readers(tmp_path: Path) -> None:
    tmp = atomic.tmp_path(tmp_path / "publications.parquet")
    assert tmp.name == ".publications.parquet.tmp" and tmp.parent == tmp_path
