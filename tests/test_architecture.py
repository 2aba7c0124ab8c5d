"""The shape of the code: dependencies point one way, every library module has its layer, modules stay small."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("search", "indexer", "webui", "cli")
MAX_MODULE_LINES = 300


def _contracts() -> list[dict]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


def test_every_library_module_sits_in_a_layer():
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.split("|")}
    children = {
        f"search.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "search").iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").is_file()
    }
    assert children - placed == set(), "modules of search/ outside every layer"


def test_no_module_is_over_the_size_limit():
    sizes = {
        str(path.relative_to(ROOT)): sum(1 for _ in path.open(encoding="utf-8"))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
    }
    assert len(sizes) > 40  # the packages were found
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}
