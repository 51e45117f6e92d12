#!/usr/bin/env bash
# A local stand-in for an AWS Glue development endpoint, on loopback, in one of two topologies:
#   standalone (default): Spark 3.5.x standalone master + one worker
#   yarn:                 Hadoop 3.3.4 ResourceManager (+ its web proxy) + one NodeManager
# both with Glue's dynamic allocation (on, shuffle tracking on, no maxExecutors) and a Livy
# REST endpoint in front.
#
#   devstack/endpoint.sh up [--standalone|--yarn]   (default: $GLUE_DEVSTACK_TOPOLOGY or standalone)
#   devstack/endpoint.sh down | status | logs [component]
#   devstack/endpoint.sh stop-worker | start-worker      (standalone: the Spark worker alone)
#   devstack/endpoint.sh stop-nm | start-nm              (yarn: the NodeManager alone)
#   devstack/endpoint.sh second-livy up | down           (yarn: a second real Livy, same YARN)
#
# The running topology is remembered in the state dir (topology); down, status and logs act on
# it, and up refuses while the other topology is up.
#
# Livy: the real Apache Livy (0.10.0-incubating-SNAPSHOT, Scala 2.12) from
# ../shared/livy/apache-livy-*_2.12-bin.zip when that zip is there: it is unzipped once into
# the cache (a dir named by the zip's sha256, checked) and its bin/livy-server runs in the
# foreground. Without the zip, devstack/minilivy.py (a small Livy-compatible server that runs
# each session as a real pyspark driver, standalone topology only) serves the Livy REST API.
# GLUE_DEVSTACK_LIVY=mini|real forces one; GLUE_DEVSTACK_LIVY_HOME points at an unzipped Livy.
#
# Environment (all optional):
#   GLUE_DEVSTACK_DIR          state dir: conf, logs, pids, work     (default <repo>/.devstack)
#   GLUE_DEVSTACK_CACHE        pip cache, unzipped Livy, Hadoop jars (default <repo>/.devstack/cache)
#   GLUE_DEVSTACK_HOST         bind address                          (default 127.0.0.1)
#   GLUE_DEVSTACK_MASTER_PORT  / _MASTER_UI_PORT / _WORKER_UI_PORT   (7077 / 8080 / 8081)
#   GLUE_DEVSTACK_LIVY_PORT    Livy REST port                        (default 8998)
#   GLUE_DEVSTACK_SECOND_LIVY_PORT  the second Livy's (second-livy up)  (default 8999)
#   GLUE_DEVSTACK_WORKER_CORES / _WORKER_MEMORY                      (6 / 6g)
#   GLUE_DEVSTACK_IDLE_TIMEOUT spark.dynamicAllocation.executorIdleTimeout (default 15s)
#   GLUE_DEVSTACK_WORKER_TIMEOUT seconds before the master (or the RM) declares a lost
#                              worker (NodeManager) dead             (default 15)
#   GLUE_DEVSTACK_PYTHON       python with (or to get) pyspark  (default <repo>/.venv/bin/python
#                              if it exists, else python3)
#   GLUE_DEVSTACK_PYSPARK      pyspark version to pip install if none 3.5.x is found (3.5.6)
#   GLUE_DEVSTACK_LIVY         mini | real                           (default: real if the zip is there)
#   GLUE_DEVSTACK_LIVY_ZIP     the Livy binary zip       (default <repo>/../shared/livy/apache-livy-*-bin.zip)
#   GLUE_DEVSTACK_LIVY_SHA256  its expected sha256
#   GLUE_DEVSTACK_LIVY_HOME    an unzipped real Livy distribution to run (instead of the zip)
#   GLUE_DEVSTACK_TIMEOUT      seconds to wait for health            (default 120)
#   YARN topology (see devstack/yarn.sh): GLUE_DEVSTACK_DEPLOY_MODE cluster|client (cluster),
#   GLUE_DEVSTACK_NM_VCORES / _NM_MEMORY_MB (6 / 8192), GLUE_DEVSTACK_RM_WEB_PORT (8088), ...
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
STATE=${GLUE_DEVSTACK_DIR:-$REPO/.devstack}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
CACHE=${GLUE_DEVSTACK_CACHE:-$REPO/.devstack/cache}
HOST=${GLUE_DEVSTACK_HOST:-127.0.0.1}
MASTER_PORT=${GLUE_DEVSTACK_MASTER_PORT:-7077}
MASTER_UI_PORT=${GLUE_DEVSTACK_MASTER_UI_PORT:-8080}
WORKER_UI_PORT=${GLUE_DEVSTACK_WORKER_UI_PORT:-8081}
LIVY_PORT=${GLUE_DEVSTACK_LIVY_PORT:-8998}
WORKER_CORES=${GLUE_DEVSTACK_WORKER_CORES:-6}
WORKER_MEMORY=${GLUE_DEVSTACK_WORKER_MEMORY:-6g}
WORKER_TIMEOUT=${GLUE_DEVSTACK_WORKER_TIMEOUT:-15}
IDLE_TIMEOUT=${GLUE_DEVSTACK_IDLE_TIMEOUT:-15s}
if [[ -x $REPO/.venv/bin/python ]]; then PYTHON_DEFAULT=$REPO/.venv/bin/python; else PYTHON_DEFAULT=python3; fi
PYTHON=${GLUE_DEVSTACK_PYTHON:-$PYTHON_DEFAULT}
PYSPARK_WANT=${GLUE_DEVSTACK_PYSPARK:-3.5.6}
LIVY_HOME_REAL=${GLUE_DEVSTACK_LIVY_HOME:-}
LIVY_CHOICE=${GLUE_DEVSTACK_LIVY:-}
LIVY_ZIP=${GLUE_DEVSTACK_LIVY_ZIP:-$REPO/../shared/livy/apache-livy-0.10.0-incubating-SNAPSHOT_2.12-bin.zip}
LIVY_ZIP_SHA256=${GLUE_DEVSTACK_LIVY_SHA256:-f7f005fe66a582991a1ea5af0e54be5ee748bdaaeb795516b7c90c91f713be2b}
TIMEOUT=${GLUE_DEVSTACK_TIMEOUT:-120}

MASTER_URL="spark://$HOST:$MASTER_PORT"
MASTER_UI="http://$HOST:$MASTER_UI_PORT"
LIVY_URL="http://$HOST:$LIVY_PORT"
SECOND_LIVY_PORT=${GLUE_DEVSTACK_SECOND_LIVY_PORT:-8999}
SECOND_LIVY_URL="http://$HOST:$SECOND_LIVY_PORT"
CONF="$STATE/conf"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
WORK="$STATE/work"
TOPOLOGY_FILE="$STATE/topology"   # standalone | yarn: the topology last brought up here
LIVY_KIND_FILE="$STATE/livy-kind" # which Livy runs: "real <LIVY_HOME>" or "mini"
# every JVM and python process we start carries this marker in its command line
MARK="glue.devstack=$STATE"

log() { printf '[devstack] %s\n' "$*" >&2; }
die() { printf '[devstack] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- processes
has_mark() { # pid: its command line has our marker as a whole argument
  local cmd
  cmd=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline") || return 1
  grep -qxF -- "-D$MARK" <<<"$cmd" || grep -qxF -- "$MARK" <<<"$cmd"
}

pid_of() { # name -> pid if alive and ours, else nothing
  local f="$PIDS/$1.pid" pid
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null \
      && has_mark "$pid"; then
    echo "$pid"
  fi
}

stop_pid() { # name [signal-wait-seconds]
  local name=$1 wait=${2:-20} pid i
  pid=$(pid_of "$name")
  if [[ -z $pid ]]; then rm -f "$PIDS/$name.pid"; return 0; fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in ${wait}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$name.pid"
}

# pids of every process (driver, executor, python worker...) that carries our marker
marked_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [[ $p == "$$" || $p == "$BASHPID" ]] && continue
    if has_mark "$p"; then echo "$p"; fi
  done
}

http_ok() { curl -fsS -m 3 -o /dev/null "$1" 2>/dev/null; }

wait_for() { # description command...
  local what=$1 t0=$SECONDS
  shift
  until "$@"; do
    if ((SECONDS - t0 > TIMEOUT)); then die "timed out after ${TIMEOUT}s waiting for $what (see $LOGS)"; fi
    sleep 1
  done
}

# ---------------------------------------------------------------- topology
topology_daemons() { # topology -> its daemons besides Livy
  case $1 in
    standalone) echo master worker ;;
    yarn) echo rm nm ;;
    *) die "unknown topology '$1' (standalone or yarn)" ;;
  esac
}

recorded_topology() { # the topology last brought up in this state dir (standalone if none)
  local t=standalone
  [[ -f $TOPOLOGY_FILE ]] && t=$(cat "$TOPOLOGY_FILE")
  echo "$t"
}

running_daemons() { # names of our daemons that are alive
  local name
  for name in master worker rm nm livy; do
    if [[ -n $(pid_of "$name") ]]; then echo "$name"; fi
  done
}

# ---------------------------------------------------------------- pyspark, java
spark_home() {
  "$PYTHON" - <<'PY' 2>/dev/null
import os, pyspark
v = pyspark.__version__
if not v.startswith("3.5."):
    raise SystemExit(1)
print(os.path.dirname(os.path.abspath(pyspark.__file__)))
PY
}

ensure_pyspark() {
  SPARK_HOME=$(spark_home) || SPARK_HOME=
  if [[ -z $SPARK_HOME ]]; then
    log "pyspark 3.5.x not found for $PYTHON: pip install pyspark==$PYSPARK_WANT (a ~300 MB sdist, takes minutes)"
    mkdir -p "$CACHE/pip"
    "$PYTHON" -m pip install --cache-dir "$CACHE/pip" "pyspark==$PYSPARK_WANT" >"$STATE/pip-pyspark.log" 2>&1 \
      || die "pip install pyspark failed, see $STATE/pip-pyspark.log"
    SPARK_HOME=$(spark_home) || die "pyspark still not importable after pip install"
  fi
  export SPARK_HOME
  ensure_java
}

ensure_java() { # JAVA_HOME: given, or the JDK of the java on PATH
  if [[ -z ${JAVA_HOME:-} ]]; then
    local java
    java=$(command -v java) || die "java not found (Java 17 needed)"
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$java")")")
  fi
  [[ -x $JAVA_HOME/bin/java ]] || die "JAVA_HOME=$JAVA_HOME has no bin/java"
  export JAVA_HOME
}

# ---------------------------------------------------------------- health
started_alive() { # name: the process we just started still lives (its marker may come only
  # with its exec of java: bin/livy-server is a bash script until then)
  local pid
  pid=$(cat "$PIDS/$1.pid" 2>/dev/null) && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}
alive_or_die() { # name description: a wait fails at once, with the log's end, if it exited
  started_alive "$1" || die "$2 exited at start, see $LOGS/$1.log: $(tail -n 5 "$LOGS/$1.log" 2>/dev/null)"
}

# ---------------------------------------------------------------- up

cmd_up() { # topology
  local topo=$1 t0=$SECONDS running recorded
  recorded=$(recorded_topology)
  running=$(running_daemons | tr '\n' ' ')
  if [[ $recorded != "$topo" && -n ${running// /} ]]; then
    die "the $recorded topology is up in $STATE (running: ${running% }); run 'devstack/endpoint.sh down' first, or 'up --$recorded'"
  fi
  choose_livy
  if [[ $topo == yarn && $LIVY_KIND == mini ]]; then
    die "the yarn topology needs the real Livy (GLUE_DEVSTACK_LIVY=mini, or no $LIVY_ZIP): minilivy only drives a standalone master"
  fi
  ensure_pyspark
  [[ $topo == yarn ]] && yarn_fetch_jars
  echo "$topo" >"$TOPOLOGY_FILE"
  write_conf "$topo"
  spark_env
  if [[ $topo == yarn ]]; then up_yarn; else up_standalone; fi
  start_livy
  wait_for "Livy $LIVY_URL/sessions" livy_up_or_dead
  log "up ($topo, $(livy_description)) in $((SECONDS - t0))s"
  cmd_status || true
  if [[ $topo == yarn ]]; then yarn_summary; else
    cat >&2 <<MSG
[devstack] Livy:          $LIVY_URL   ($(livy_description))
[devstack] Spark master:  $MASTER_URL   UI/JSON: $MASTER_UI/json/
[devstack] Driver REST:   $MASTER_UI/proxy/<app-id>/api/v1/applications  (reverse proxy)
[devstack] logs:          $LOGS/{master,worker,livy}.log, sessions: $STATE/livy-sessions/, executors: $WORK/
[devstack] env:           source $STATE/env.sh
MSG
  fi
}

# ---------------------------------------------------------------- down / status / logs
cmd_down() {
  # whatever topology ran: Livy first (it launched the drivers), then workers, then masters
  stop_pid livy2 30
  stop_pid livy 30
  stop_pid worker 30
  stop_pid nm 40
  stop_pid master 20
  stop_pid rm 30
  # whatever is left with our marker: Spark drivers that Livy launched, executors, python workers
  local left i
  left=$(marked_pids | tr '\n' ' ')
  if [[ -n ${left// /} ]]; then
    log "stopping leftover processes: $left"
    # shellcheck disable=SC2086
    kill -TERM $left 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      left=$(marked_pids | tr '\n' ' ')
      [[ -z ${left// /} ]] && break
      sleep 0.2
    done
    if [[ -n ${left// /} ]]; then
      # shellcheck disable=SC2086
      kill -KILL $left 2>/dev/null || true
    fi
  fi
  log "down"
}

cmd_status() {
  local rc=0 name pid topo
  topo=$(recorded_topology)
  echo "topology $topo   livy: $(livy_description)"
  for name in $(topology_daemons "$topo") livy; do
    pid=$(pid_of "$name")
    if [[ -n $pid ]]; then printf '%-7s running  pid %s\n' "$name" "$pid"; else printf '%-7s stopped\n' "$name"; rc=3; fi
  done
  if [[ $topo == yarn ]]; then yarn_status; else standalone_status; fi
  livy_sessions_status
  local extra
  extra=$(marked_pids | wc -l)
  echo "processes carrying the devstack marker: $extra   state: $STATE"
  return $rc
}

cmd_logs() {
  local which=${1:-all} f names
  names="$(topology_daemons "$(recorded_topology)") livy"
  case " $names all " in
    *" $which "*) ;;
    *) die "logs [${names// /|}]" ;;
  esac
  if [[ $which != all ]]; then
    tail -n 100 "$LOGS/$which.log"
    return 0
  fi
  for f in $names; do
    echo "==> $LOGS/$f.log <=="
    tail -n 30 "$LOGS/$f.log" 2>/dev/null || true
  done
  if [[ $(recorded_topology) == yarn ]]; then
    echo "container logs: $YARN_STATE/nm-logs/<app-id>/<container-id>/{stdout,stderr}"
  else
    echo "session logs: $STATE/livy-sessions/   executor logs: $WORK/<app-id>/<executor-id>/stderr"
  fi
}

# The parts of the endpoint, each sourced (they use the variables and helpers above).
# shellcheck source=devstack/conf.sh
source "$HERE/conf.sh"
# shellcheck source=devstack/livy.sh
source "$HERE/livy.sh"
# shellcheck source=devstack/standalone.sh
source "$HERE/standalone.sh"
# shellcheck source=devstack/yarn.sh
source "$HERE/yarn.sh"

usage() {
  echo "usage: $0 up [--standalone|--yarn] | down | status | logs [component]" \
    "| stop-worker | start-worker | stop-nm | start-nm | second-livy up|down" >&2
  exit 2
}

main() {
  local cmd=${1:-} topo=${GLUE_DEVSTACK_TOPOLOGY:-standalone}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    up)
      case ${1:-} in
        --yarn) topo=yarn ;;
        --standalone) topo=standalone ;;
        '') ;;
        *) usage ;;
      esac
      topology_daemons "$topo" >/dev/null
      cmd_up "$topo"
      ;;
    down) cmd_down ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    stop-worker) cmd_stop_worker ;;
    start-worker) cmd_start_worker ;;
    stop-nm) cmd_stop_nm ;;
    start-nm) cmd_start_nm ;;
    second-livy) cmd_second_livy "$@" ;;
    *) usage ;;
  esac
}

main "$@"
