"""The README documents every setting and every command."""
from __future__ import annotations

from search import settings
from cli import main

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    missing = [s.env for s in settings.SETTINGS if s.env not in README]
    assert missing == []


def test_every_command_is_in_the_readme():
    missing = [name for name in main.commands if f"fahras {name}" not in README]
    assert missing == []


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    assert "make run" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text()


def test_pyarabic_tables_are_covered_by_our_normalisation():
    import pyarabic.araby as araby

    from search.arabic.normalize import normalize

    assert all(normalize("ب" + mark) == "ب" for mark in araby.TASHKEEL + (araby.TATWEEL,))
    assert {normalize(alef) for alef in (araby.ALEF_HAMZA_ABOVE, araby.ALEF_HAMZA_BELOW, araby.ALEF_MADDA)} == {araby.ALEF}
    assert normalize(araby.TEH_MARBUTA) == araby.HEH and normalize(araby.ALEF_MAKSURA) == araby.YEH
