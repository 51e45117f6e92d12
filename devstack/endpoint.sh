#!/usr/bin/env bash
# A local stand-in for an AWS Glue development endpoint, on loopback:
#   Spark 3.5.x standalone master + one worker (dynamic allocation on, shuffle tracking on,
#   no maxExecutors, like Glue) and a Livy REST endpoint in front of it.
#
#   devstack/endpoint.sh up|down|status|logs [component]
#
# Livy: Apache Livy 0.8/0.9 (the only releases for Scala 2.12 / Spark 3) are not published to
# Maven Central, and livy-repl never was in any version (see devstack/NOTES.md). So by default
# the Livy REST API is served by devstack/minilivy.py, a small Livy-compatible server that runs
# each session as a real pyspark driver (app name livy-session-N) against this Spark master.
# To use a real Livy distribution instead (unzipped apache-livy-*_2.12-bin), point
# GLUE_DEVSTACK_LIVY_HOME at it: this script then writes its livy.conf and runs its
# bin/livy-server (which carries the Java 17 --add-opens flags).
#
# Environment (all optional):
#   GLUE_DEVSTACK_DIR          state dir: conf, logs, pids, work     (default <repo>/.devstack)
#   GLUE_DEVSTACK_CACHE        download cache (pip)                  (default <repo>/.devstack/cache)
#   GLUE_DEVSTACK_HOST         bind address                          (default 127.0.0.1)
#   GLUE_DEVSTACK_MASTER_PORT  / _MASTER_UI_PORT / _WORKER_UI_PORT   (7077 / 8080 / 8081)
#   GLUE_DEVSTACK_LIVY_PORT    Livy REST port                        (default 8998)
#   GLUE_DEVSTACK_WORKER_CORES / _WORKER_MEMORY                      (6 / 6g)
#   GLUE_DEVSTACK_IDLE_TIMEOUT spark.dynamicAllocation.executorIdleTimeout (default 15s)
#   GLUE_DEVSTACK_WORKER_TIMEOUT seconds before the master declares a lost worker dead (15)
#   GLUE_DEVSTACK_PYTHON       python with (or to get) pyspark       (default python3)
#   GLUE_DEVSTACK_PYSPARK      pyspark version to pip install if none 3.5.x is found (3.5.6)
#   GLUE_DEVSTACK_LIVY_HOME    a real Livy distribution to run instead of minilivy
#   GLUE_DEVSTACK_TIMEOUT      seconds to wait for health            (default 120)
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
IDLE_TIMEOUT=${GLUE_DEVSTACK_IDLE_TIMEOUT:-15s}
PYTHON=${GLUE_DEVSTACK_PYTHON:-python3}
PYSPARK_WANT=${GLUE_DEVSTACK_PYSPARK:-3.5.6}
LIVY_HOME_REAL=${GLUE_DEVSTACK_LIVY_HOME:-}
TIMEOUT=${GLUE_DEVSTACK_TIMEOUT:-120}

MASTER_URL="spark://$HOST:$MASTER_PORT"
MASTER_UI="http://$HOST:$MASTER_UI_PORT"
LIVY_URL="http://$HOST:$LIVY_PORT"
CONF="$STATE/conf"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
WORK="$STATE/work"
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

# ---------------------------------------------------------------- pyspark
spark_home() {
  "$PYTHON" - <<'EOF' 2>/dev/null
import os, pyspark
v = pyspark.__version__
if not v.startswith("3.5."):
    raise SystemExit(1)
print(os.path.dirname(os.path.abspath(pyspark.__file__)))
EOF
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
  command -v java >/dev/null || [[ -n ${JAVA_HOME:-} ]] || die "java not found (Java 17 needed)"
}

# ---------------------------------------------------------------- configuration
write_conf() {
  mkdir -p "$CONF/spark" "$CONF/livy" "$LOGS" "$PIDS" "$WORK" "$STATE/livy-sessions"
  cat >"$CONF/spark/spark-defaults.conf" <<EOF
# written by devstack/endpoint.sh: Glue-like dynamic allocation, no maxExecutors
spark.master                                      $MASTER_URL
spark.submit.deployMode                           client
spark.driver.host                                 $HOST
spark.driver.bindAddress                          $HOST
spark.driver.memory                               512m
spark.executor.memory                             512m
spark.executor.cores                              1
spark.dynamicAllocation.enabled                   true
spark.dynamicAllocation.shuffleTracking.enabled   true
spark.dynamicAllocation.minExecutors              0
spark.dynamicAllocation.initialExecutors          0
spark.dynamicAllocation.executorIdleTimeout       $IDLE_TIMEOUT
spark.dynamicAllocation.schedulerBacklogTimeout   1s
spark.dynamicAllocation.sustainedSchedulerBacklogTimeout 1s
spark.ui.reverseProxy                             true
spark.ui.showConsoleProgress                      false
spark.sql.shuffle.partitions                      8
spark.driver.extraJavaOptions                     -D$MARK
spark.executor.extraJavaOptions                   -D$MARK
EOF
  # INFO to stderr, so that a session's log holds the driver's "Bound SparkUI ..." line
  cat >"$CONF/spark/log4j2.properties" <<'EOF'
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
# pyspark drivers: keep INFO (else Spark sets "default log level to WARN" for the python shell)
logger.pygateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.pygateway.level = info
logger.jetty.name = org.sparkproject.jetty
logger.jetty.level = warn
logger.hadoop.name = org.apache.hadoop
logger.hadoop.level = warn
logger.parquet.name = org.apache.parquet
logger.parquet.level = warn
logger.blockmgr.name = org.apache.spark.storage
logger.blockmgr.level = warn
EOF
  cat >"$CONF/livy/livy.conf" <<EOF
# written by devstack/endpoint.sh
livy.server.host = $HOST
livy.server.port = $LIVY_PORT
livy.spark.master = $MASTER_URL
livy.spark.deploy-mode = client
livy.server.recovery.mode = off
livy.server.session.timeout-check = false
livy.rsc.launcher.address = $HOST
livy.rsc.rpc.server.address = $HOST
livy.repl.enable-hive-context = false
EOF
  cat >"$CONF/livy/livy-client.conf" <<EOF
livy.rsc.launcher.address = $HOST
livy.rsc.rpc.server.address = $HOST
EOF
  cat >"$CONF/livy/log4j.properties" <<'EOF'
log4j.rootCategory=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
log4j.logger.org.eclipse.jetty=WARN
EOF
  cat >"$STATE/env.sh" <<EOF
# source me: what devstack/endpoint.sh runs with
export SPARK_HOME='$SPARK_HOME'
export SPARK_CONF_DIR='$CONF/spark'
export SPARK_LOCAL_IP='$HOST'
export GLUE_DEVSTACK_MASTER_URL='$MASTER_URL'
export GLUE_DEVSTACK_MASTER_UI='$MASTER_UI'
export GLUE_DEVSTACK_LIVY_URL='$LIVY_URL'
EOF
}

spark_env() {
  export SPARK_CONF_DIR="$CONF/spark" SPARK_LOCAL_IP="$HOST" SPARK_NO_DAEMONIZE=1
  export SPARK_DAEMON_JAVA_OPTS="-D$MARK"
  # A lost worker is declared dead after this many seconds (Spark's default is 60).
  export SPARK_MASTER_OPTS="-Dspark.worker.timeout=${GLUE_DEVSTACK_WORKER_TIMEOUT:-15}"
  export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$(command -v "$PYTHON")}"
  export PYSPARK_DRIVER_PYTHON="${PYSPARK_DRIVER_PYTHON:-$PYSPARK_PYTHON}"
}

# ---------------------------------------------------------------- health
master_json() { curl -fsS -m 3 "$MASTER_UI/json/" 2>/dev/null; }
master_up() { http_ok "$MASTER_UI/json/"; }
worker_alive() {
  master_json | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(w.get("state") == "ALIVE" for w in d.get("workers", [])) else 1)' 2>/dev/null
}
livy_up() { http_ok "$LIVY_URL/sessions"; }
livy_up_or_dead() { # fails the wait at once if the Livy process died
  livy_up && return 0
  [[ -n $(pid_of livy) ]] || die "Livy exited at start, see $LOGS/livy.log: $(tail -n 5 "$LOGS/livy.log" 2>/dev/null)"
  return 1
}

# ---------------------------------------------------------------- up
start_master() {
  if [[ -n $(pid_of master) ]]; then return 0; fi
  master_up && die "something else answers on $MASTER_UI (not started by this devstack: $STATE)"
  log "starting Spark master on $MASTER_URL (UI $MASTER_UI)"
  setsid nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host "$HOST" --port "$MASTER_PORT" --webui-port "$MASTER_UI_PORT" \
    >"$LOGS/master.log" 2>&1 </dev/null &
  echo $! >"$PIDS/master.pid"
}

start_worker() {
  if [[ -n $(pid_of worker) ]]; then return 0; fi
  log "starting Spark worker ($WORKER_CORES cores, $WORKER_MEMORY)"
  setsid nohup "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
    "$MASTER_URL" --host "$HOST" --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
    --webui-port "$WORKER_UI_PORT" --work-dir "$WORK" \
    >"$LOGS/worker.log" 2>&1 </dev/null &
  echo $! >"$PIDS/worker.pid"
}

start_livy() {
  if [[ -n $(pid_of livy) ]]; then return 0; fi
  livy_up && die "something else answers on $LIVY_URL (not started by this devstack: $STATE)"
  if [[ -n $LIVY_HOME_REAL ]]; then
    [[ -x $LIVY_HOME_REAL/bin/livy-server ]] || die "GLUE_DEVSTACK_LIVY_HOME=$LIVY_HOME_REAL has no bin/livy-server"
    if find "$LIVY_HOME_REAL" -name '*_2.11*.jar' | grep -q .; then
      find "$LIVY_HOME_REAL" -name '*_2.11*.jar' >&2
      die "Scala 2.11 jars in $LIVY_HOME_REAL: Spark 3.5 needs the _2.12 Livy build"
    fi
    log "starting real Livy from $LIVY_HOME_REAL on $LIVY_URL"
    # bin/livy-server with no argument execs java in the foreground (its Java 17 flags included)
    LIVY_CONF_DIR="$CONF/livy" LIVY_LOG_DIR="$LOGS" LIVY_SERVER_JAVA_OPTS="-D$MARK" \
      setsid nohup "$LIVY_HOME_REAL/bin/livy-server" >"$LOGS/livy.log" 2>&1 </dev/null &
  else
    log "starting minilivy (Livy-compatible REST) on $LIVY_URL"
    setsid nohup "$PYTHON" -u "$HERE/minilivy.py" serve --host "$HOST" --port "$LIVY_PORT" \
      --state-dir "$STATE/livy-sessions" --spark-conf-dir "$CONF/spark" --marker "$MARK" \
      >"$LOGS/livy.log" 2>&1 </dev/null &
  fi
  echo $! >"$PIDS/livy.pid"
}

cmd_up() {
  local t0=$SECONDS
  ensure_pyspark
  write_conf
  spark_env
  start_master
  wait_for "Spark master $MASTER_UI/json/" master_up
  start_worker
  wait_for "a registered worker" worker_alive
  start_livy
  wait_for "Livy $LIVY_URL/sessions" livy_up_or_dead
  log "up in $((SECONDS - t0))s"
  cmd_status
  cat >&2 <<EOF
[devstack] Livy:          $LIVY_URL
[devstack] Spark master:  $MASTER_URL   UI/JSON: $MASTER_UI/json/
[devstack] Driver REST:   $MASTER_UI/proxy/<app-id>/api/v1/applications  (reverse proxy)
[devstack] logs:          $LOGS/{master,worker,livy}.log, sessions: $STATE/livy-sessions/, executors: $WORK/
[devstack] env:           source $STATE/env.sh
EOF
}

# ---------------------------------------------------------------- down / status / logs
cmd_down() {
  stop_pid livy 30
  stop_pid worker 30
  stop_pid master 20
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
  local rc=0 name pid
  for name in master worker livy; do
    pid=$(pid_of $name)
    if [[ -n $pid ]]; then printf '%-7s running  pid %s\n' "$name" "$pid"; else printf '%-7s stopped\n' "$name"; rc=3; fi
  done
  if master_up; then
    master_json | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
print("master  %s  %s  cores %s/%s used  workers alive %d" % (d.get("url"), d.get("status"),
      d.get("coresused"), d.get("cores"), sum(w.get("state") == "ALIVE" for w in d.get("workers", []))))
for a in d.get("activeapps", []):
    print("  app %-28s %-22s %-8s cores %s" % (a["id"], a["name"], a["state"], a["cores"]))'
  fi
  if livy_up; then
    curl -fsS -m 3 "$LIVY_URL/sessions" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
print("livy    %s  sessions %d" % (sys.argv[1], d.get("total", 0)))
for s in d.get("sessions", []):
    print("  session %-4s %-14s %-10s %s" % (s["id"], s.get("name") or "-", s["state"], s["kind"]))' "$LIVY_URL"
  fi
  local extra
  extra=$(marked_pids | wc -l)
  echo "processes carrying the devstack marker: $extra   state: $STATE"
  return $rc
}

cmd_logs() {
  local which=${1:-all} f
  case $which in
    master | worker | livy) tail -n 100 "$LOGS/$which.log" ;;
    all)
      for f in master worker livy; do
        echo "==> $LOGS/$f.log <=="
        tail -n 30 "$LOGS/$f.log" 2>/dev/null || true
      done
      echo "session logs: $STATE/livy-sessions/   executor logs: $WORK/<app-id>/<executor-id>/stderr"
      ;;
    *) die "logs [master|worker|livy]" ;;
  esac
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *) echo "usage: $0 up|down|status|logs [master|worker|livy]" >&2; exit 2 ;;
esac
