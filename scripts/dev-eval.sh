#!/usr/bin/env bash
# Development evaluation, end to end, in one command.
#
#   scripts/dev-eval.sh [--reuse-index DIR] [OUTDIR] [REINDEX ARGS...]
#
#   scripts/dev-eval.sh                                  # default engine, into var/dev-eval
#   scripts/dev-eval.sh var/dev-eval-tantivy --backend tantivy
#   scripts/dev-eval.sh --reuse-index var/dev/whoosh     # score an index already built from the dev corpus
#
# Steps (the protocol of ../shared/data/README.md):
#   1. build the development corpus (31,559 documents) with
#      ../shared/eval/make_dev_corpus.py into OUTDIR/corpus.jsonl
#      (skipped when that file is already there);
#   2. `fahras reindex` it into OUTDIR/index, passing REINDEX ARGS through
#      (e.g. --backend tantivy --workers 2); with --reuse-index DIR the
#      existing index in DIR is searched instead and nothing is reindexed;
#   3. run both judged query sets, arabic-qa-dev (2,585 questions) and
#      news-known-item-dev (500 headlines), with
#      `fahras search --batch QUERIES --size 100` into OUTDIR/run.SET.jsonl;
#   4. score each run with `fahras eval` (MRR@10, nDCG@10, Recall@100,
#      trec_eval conventions: every judged query counts; ties broken by score
#      descending, then docid descending) into OUTDIR/eval.SET.json,
#      and print a table, also saved as OUTDIR/summary.txt.
#
# OUTDIR defaults to var/dev-eval under the repository root. The shared folder
# is found relative to this script (REPO/../shared); the script stops with a
# message when it is absent. `fahras` is taken from PATH, else from REPO/.venv.
# Lucene's figures for the same protocol are in ../shared/data/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=$(cd "$ROOT/.." && pwd)/shared
DATA=$SHARED/data
MAKE_CORPUS=$SHARED/eval/make_dev_corpus.py
SETS=(arabic-qa-dev news-known-item-dev)

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "dev-eval: $*" >&2; exit "${EXIT:-1}"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

REUSE=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --reuse-index) [ $# -ge 2 ] || EXIT=2 die "--reuse-index needs a directory"; REUSE=$2; shift 2 ;;
    --reuse-index=*) REUSE=${1#*=}; shift ;;
    *) break ;;
  esac
done
OUTDIR=$ROOT/var/dev-eval
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then OUTDIR=$1; shift; fi
REINDEX_ARGS=("$@")
if [ -n "$REUSE" ] && [ ${#REINDEX_ARGS[@]} -gt 0 ]; then
  EXIT=2 die "reindex arguments (${REINDEX_ARGS[*]}) make no sense with --reuse-index"
fi

if [ ! -d "$DATA" ] || [ ! -f "$MAKE_CORPUS" ]; then
  EXIT=2 die "the shared evaluation data is not here: expected $DATA and $MAKE_CORPUS
(the judged development sets live next to the repository, in ../shared; they are never copied into it)."
fi
for set in "${SETS[@]}"; do
  for f in queries.jsonl qrels.txt; do
    [ -f "$DATA/eval/$set/$f" ] || die "missing $DATA/eval/$set/$f"
  done
done

if [ -n "${FAHRAS:-}" ]; then :
elif command -v fahras >/dev/null 2>&1; then FAHRAS=$(command -v fahras)
elif [ -x "$ROOT/.venv/bin/fahras" ]; then FAHRAS=$ROOT/.venv/bin/fahras
else die "no fahras command: activate the virtualenv (. .venv/bin/activate) or pip install -e ."
fi
PY=$(dirname "$FAHRAS")/python
[ -x "$PY" ] || PY=python3

mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
CORPUS=$OUTDIR/corpus.jsonl
TIMES=$OUTDIR/times.tsv
: > "$TIMES"
echo "dev-eval: output in $OUTDIR (fahras: $FAHRAS)"

# 1. corpus
if [ -s "$CORPUS" ]; then
  echo "corpus: $CORPUS already there, $(wc -l < "$CORPUS") documents (delete it to rebuild)"
  printf 'corpus\t0\treused\n' >> "$TIMES"
else
  t=$(now)
  "$PY" "$MAKE_CORPUS" "$CORPUS.tmp"
  mv "$CORPUS.tmp" "$CORPUS"
  s=$(since "$t"); printf 'corpus\t%s\tbuilt\n' "$s" >> "$TIMES"
  echo "corpus: built in $s s"
fi
DOCS=$(wc -l < "$CORPUS")

# 2. index
if [ -n "$REUSE" ]; then
  INDEX=$(cd "$REUSE" 2>/dev/null && pwd) || die "--reuse-index: no directory $REUSE"
  [ -L "$INDEX/current" ] || die "--reuse-index: $INDEX has no published index (no 'current' link); is its reindex finished?"
  if command -v flock >/dev/null 2>&1 && [ -e "$INDEX/reindex.lock" ] \
     && ! flock -n "$INDEX/reindex.lock" true; then
    die "--reuse-index: a reindex is still running on $INDEX; wait for it to finish"
  fi
  read -r BACKEND INDEXED < <("$PY" -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["backend"], m["document_count"])' \
    "$INDEX/current/manifest.json")
  [ "$INDEXED" = "$DOCS" ] || echo "dev-eval: warning: $INDEX holds $INDEXED documents, the dev corpus has $DOCS" >&2
  echo "index: reusing $INDEX ($BACKEND, $INDEXED documents)"
  printf 'reindex\t0\treused %s\n' "$INDEX" >> "$TIMES"
else
  INDEX=$OUTDIR/index
  t=$(now)
  "$FAHRAS" reindex "$CORPUS" --index "$INDEX" ${REINDEX_ARGS[@]+"${REINDEX_ARGS[@]}"}
  s=$(since "$t"); printf 'reindex\t%s\t%s docs\n' "$s" "$DOCS" >> "$TIMES"
  echo "index: built in $s s (wall, including start-up)"
fi

# 3 + 4. search and score each query set
for set in "${SETS[@]}"; do
  queries=$DATA/eval/$set/queries.jsonl
  run=$OUTDIR/run.$set.jsonl
  n=$(grep -c . "$queries")
  t=$(now)
  if ! "$FAHRAS" search --batch "$queries" --size 100 --index "$INDEX" > "$run.tmp"; then
    done_=$(grep -c . "$run.tmp" || true)
    die "fahras search failed on $set after $done_ of $n queries; the next one is line $((done_ + 1)) of $queries"
  fi
  mv "$run.tmp" "$run"
  s=$(since "$t")
  printf 'search %s\t%s\t%s queries\n' "$set" "$s" "$n" >> "$TIMES"
  echo "search $set: $n queries in $s s ($(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.1f", n / s }') queries/s)"
  t=$(now)
  "$FAHRAS" eval --run "$run" --qrels "$DATA/eval/$set/qrels.txt" --json > "$OUTDIR/eval.$set.json"
  printf 'eval %s\t%s\t\n' "$set" "$(since "$t")" >> "$TIMES"
done

# table
"$PY" - "$OUTDIR" "$INDEX" "${SETS[@]}" <<'EOF' | tee "$OUTDIR/summary.txt"
import json, sys
from pathlib import Path

out, index, sets = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = {}
for line in (out / "times.tsv").read_text().splitlines():
    step, seconds, note = (line.split("\t") + [""])[:3]
    times[step] = float(seconds)
manifest = json.loads((Path(index) / "current" / "manifest.json").read_text())
print(f"\nindex {index}: {manifest['backend']}, {manifest['document_count']} documents, "
      f"analysis {manifest['analysis_version']}")
print(f"{'set':<22}{'queries':>8}{'MRR@10':>9}{'nDCG@10':>9}{'R@100':>8}{'no hits':>9}{'search s':>10}{'q/s':>8}")
for name in sets:
    e = json.loads((out / f"eval.{name}.json").read_text())
    s = times[f"search {name}"]
    searched = sum(1 for line in open(out / f"run.{name}.jsonl", encoding="utf-8") if line.strip())
    print(f"{name:<22}{e['queries']:>8}{e['MRR@10']:>9.4f}{e['nDCG@10']:>9.4f}{e['Recall@100']:>8.4f}"
          f"{e['no_hits']:>9}{s:>10.1f}{searched / s:>8.1f}")
print("steps (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
print("Lucene's reference figures: ../shared/data/README.md")
EOF
