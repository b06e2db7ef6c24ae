"""The layers the code enforces: import-linter's contracts (pyproject.toml) hold, and break when
a layer leaks.

CI also runs ``lint-imports`` on its own; here the README's test command checks it too, and a
copy of the project with a normalizer importing Scrapy shows that the contracts catch it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "leak", "contract"),
    [
        ("regmig_scraper/normalize/dates.py", "import scrapy", "Normalizers are pure"),
        ("regmig_scraper/normalize/text.py", "import pipelines", "Normalizers are pure"),
        ("regmig_scraper/dataset/merge.py", "import regmig_scraper.items", "dataset layer"),
        ("regmig_scraper/spiders/program.py", "import pipelines.text", "Spiders only schedule"),
        ("regmig_scraper/sites/base.py", "import regmig_scraper.dataset", "Sites only extract"),
    ],
)
def test_a_leaking_layer_breaks_its_contract(
    tmp_path: Path, module: str, leak: str, contract: str
) -> None:
    copy = tmp_path / "project"
    for name in ("regmig_scraper", "pipelines"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    path = copy / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{leak}  # noqa\n", encoding="utf-8")
    result = lint_imports(copy)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken
