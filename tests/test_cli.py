"""The fahras command line: output, JSON, batch format and exit statuses."""
from __future__ import annotations

import json

import pytest

from click.testing import CliRunner

from cli import EXIT_BUSY, EXIT_NO_INDEX, main
from cli.common import EXIT_REFUSED
from search.index import IndexRoot
from search.index.store import FORMAT_VERSION

from .conftest import REPO, write_jsonl

DOCS = [
    {"id": "d1", "title": "وزير الخارجية يزور القاهرة", "body": "زار وزيرُ الخارجيةِ القاهرةَ أمس.", "source": "BBC"},
    {"id": "d2", "title": "نتائج الدوري", "body": "فاز الفريق بالدوري للمرة الثالثة.", "source": "CNN"},
    "not json",
]


def _index(tmp_path):
    source = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["reindex", str(source), "--index", str(index)])
    return index, result


def test_reindex_prints_a_summary_with_skip_reasons_and_lines(tmp_path):
    _, result = _index(tmp_path)
    assert result.exit_code == 0, result.output
    assert "read 3, indexed 2, skipped 1" in result.output
    assert "invalid JSON" in result.output and "docs.jsonl:3" in result.output


def test_reindex_json_summary_balances(tmp_path):
    source = write_jsonl(tmp_path / "docs.jsonl", DOCS)
    result = CliRunner().invoke(main, ["reindex", str(source), "--index", str(tmp_path / "i"), "--json"])
    summary = json.loads(result.output)
    assert summary["read"] == summary["indexed"] + summary["skipped"] == 3


def test_reindex_defaults_to_the_shipped_seeds(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, ["reindex", "--index", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert "skipped 0" in result.output


def test_reindex_missing_source_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["reindex", str(tmp_path / "nope"), "--index", str(tmp_path / "i")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_reindex_refusing_an_accident_exits_4_and_keeps_the_index(tmp_path):
    index, _ = _index(tmp_path)
    empty = write_jsonl(tmp_path / "empty.jsonl", ["not json"])
    result = CliRunner().invoke(main, ["reindex", str(empty), "--index", str(index)])
    assert result.exit_code == EXIT_REFUSED
    assert "read 1, indexed 0, skipped 1" in result.output and "not published" in result.output
    assert "Traceback" not in result.output
    assert "d1" in CliRunner().invoke(main, ["search", "الوزير", "--index", str(index)]).output
    allowed = CliRunner().invoke(main, ["reindex", str(tmp_path / "docs.jsonl"), "--index", str(index), "--allow-shrink"])
    assert allowed.exit_code == 0


def test_reindex_warnings_and_unread_files_say_where(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [{"id": "x", "body": "نص", "date": "غدا"}])
    (src / "readme.md").write_text("x")
    result = CliRunner().invoke(main, ["reindex", str(src), "--index", str(tmp_path / "i")])
    assert result.exit_code == 0, result.output
    assert "invalid date ignored (at " in result.output and "a.jsonl:1" in result.output
    assert "not read: " in result.output and "readme.md" in result.output


def test_concurrent_reindex_exits_with_its_own_status(tmp_path):
    index, _ = _index(tmp_path)
    with IndexRoot(index).writer_lock():
        result = CliRunner().invoke(main, ["reindex", str(tmp_path / "docs.jsonl"), "--index", str(index)])
    assert result.exit_code == EXIT_BUSY
    assert "another reindex is running" in result.output
    assert "Traceback" not in result.output


def test_search_text_and_json(tmp_path):
    index, _ = _index(tmp_path)
    text = CliRunner().invoke(main, ["search", "الوزير", "--index", str(index)])
    assert text.exit_code == 0 and "d1" in text.output and "[وزيرُ]" in text.output
    data = json.loads(CliRunner().invoke(main, ["search", "الدورى", "--index", str(index), "--json"]).output)
    assert data["total"] == 1 and data["hits"][0]["id"] == "d2"
    assert set(data["hits"][0]) == {"id", "title", "snippet", "date", "source", "category", "author", "url", "score", "group", "copies"}


def test_search_batch_writes_one_line_per_query(tmp_path):
    index, _ = _index(tmp_path)
    queries = write_jsonl(tmp_path / "q.jsonl", [{"qid": "q1", "query": "وزير"}, {"qid": "q2", "query": "لا شيء هنا"}, "junk"])
    result = CliRunner().invoke(main, ["search", "--batch", str(queries), "--index", str(index), "--size", "5"])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["qid"] for line in lines] == ["q1", "q2"]
    assert lines[0]["hits"][0]["id"] == "d1" and lines[1]["hits"] == []
    assert "line 3" in result.stderr


def test_search_batch_in_several_processes_answers_as_one_in_the_order_of_the_lines(tmp_path):
    index, _ = _index(tmp_path)
    rows = [{"qid": f"q{i}", "query": q} for i, q in enumerate(["وزير", "الدورى", "لا شيء هنا", "كتاب"] * 5)]
    queries = write_jsonl(tmp_path / "q.jsonl", rows[:7] + ["junk"] + rows[7:] + [{"qid": "x"}])
    runs = {}
    for workers in ("1", "3"):
        result = CliRunner().invoke(main, ["search", "--batch", str(queries), "--index", str(index), "--workers", workers])
        assert result.exit_code == 0, result.output
        runs[workers] = [(line["qid"], [h["id"] for h in line["hits"]]) for line in map(json.loads, result.stdout.splitlines())]
        assert "line 8 is not" in result.stderr and "line 22 is not" in result.stderr
        assert result.stderr.index("line 8") < result.stderr.index("line 22")
    assert runs["1"] == runs["3"] and [qid for qid, _ in runs["3"]] == [r["qid"] for r in rows]
    assert runs["3"][0][1] == ["d1"]


def test_search_batch_without_an_index_exits_3(tmp_path):
    queries = write_jsonl(tmp_path / "q.jsonl", [{"qid": "q1", "query": "وزير"}])
    result = CliRunner().invoke(main, ["search", "--batch", str(queries), "--index", str(tmp_path / "none"), "--workers", "2"])
    assert result.exit_code == EXIT_NO_INDEX and "fahras reindex" in result.output


def test_search_without_an_index_exits_3_with_a_message(tmp_path):
    result = CliRunner().invoke(main, ["search", "كتاب", "--index", str(tmp_path / "none")])
    assert result.exit_code == EXIT_NO_INDEX
    assert "fahras reindex" in result.output


def test_analyze_prints_terms_with_offsets():
    result = CliRunner().invoke(main, ["analyze", "وبالمدرسة"])
    assert result.output.strip().split("\t") == ["0", "0-9", "وبالمدرسة", "وبالمدرسه", "مدرس"]


def _as_built_by_an_older_format(index) -> None:
    """The index as the previous Fahras left it: its manifest says the format before (no time of day, no author fields)."""
    manifest_path = IndexRoot(index).current() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format"] = FORMAT_VERSION - 1
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    "command",
    [["search", "وزير"], ["search", "--sort", "date", "وزير"], ["search", "--json", "وزير"], ["add", "SOURCE"], ["delete", "d1"]],
)
def test_an_index_of_an_older_format_is_refused_with_the_command_that_rebuilds_it(tmp_path, command):
    index, _ = _index(tmp_path)
    _as_built_by_an_older_format(index)
    source = write_jsonl(tmp_path / "more.jsonl", DOCS[:1])
    args = [str(source) if a == "SOURCE" else a for a in command]
    result = CliRunner().invoke(main, [*args, "--index", str(index)])
    assert result.exit_code == EXIT_NO_INDEX, result.output
    assert f"format {FORMAT_VERSION - 1}" in result.output and "fahras reindex" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    # Rebuilding it is what the message says, and it works.
    assert CliRunner().invoke(main, ["reindex", str(source), "--index", str(index), "--allow-shrink"]).exit_code == 0
    assert CliRunner().invoke(main, ["search", "وزير", "--index", str(index)]).exit_code == 0
