"""The dependency rule of docs/architecture.md, checked by the import-linter contracts in
pyproject.toml: an app imports only the apps below it (no cycle, no upward import) and core
imports no domain app."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    return subprocess.run(
        [LINT_IMPORTS, str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_apps_keep_the_layers():
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The contracts can fail: core importing the demo (the top layer) is reported."""
    shutil.copytree(
        ROOT / "src" / "grassroots",
        tmp_path / "grassroots",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "data", "locale"),
    )
    text = tmp_path / "grassroots" / "core" / "text.py"
    text.write_text(text.read_text() + "\nimport grassroots.demo.plan  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "grassroots.core.text -> grassroots.demo.plan" in result.stdout
