# shellcheck shell=bash
# The Livy of devstack/endpoint.sh (sourced by it; uses its variables and helpers): which Livy
# runs (the real Apache Livy from ../shared/livy's zip, unzipped once into the cache, or
# devstack/minilivy.py where the zip is absent), its configuration, starting it (and a second
# real Livy on the same YARN), and the sessions it lists.

livy_unpack() { # unzips $LIVY_ZIP once into $CACHE/livy/<sha256>/; sets LIVY_HOME_USE
  local sha dir tmp homes
  [[ -r $LIVY_ZIP ]] || die "cannot read $LIVY_ZIP"
  sha=$(sha256sum "$LIVY_ZIP" | cut -d' ' -f1)
  [[ $sha == "$LIVY_ZIP_SHA256" ]] \
    || die "checksum mismatch: $LIVY_ZIP has sha256 $sha, expected $LIVY_ZIP_SHA256 (GLUE_DEVSTACK_LIVY_SHA256)"
  dir="$CACHE/livy/$sha"
  if [[ ! -f $dir/.complete ]]; then
    log "unpacking $LIVY_ZIP into $dir"
    tmp="$dir.tmp.$$"
    rm -rf "$tmp" "$dir"
    mkdir -p "$tmp"
    unzip -q "$LIVY_ZIP" -d "$tmp" || { rm -rf "$tmp"; die "unzip of $LIVY_ZIP failed"; }
    mv "$tmp" "$dir"
    touch "$dir/.complete"
  fi
  homes=("$dir"/apache-livy-*-bin)
  [[ -x ${homes[0]}/bin/livy-server ]] || die "no apache-livy-*-bin/bin/livy-server in $dir"
  LIVY_HOME_USE=${homes[0]}
}

choose_livy() { # sets LIVY_KIND (real|mini) and, for real, LIVY_HOME_USE
  LIVY_KIND=mini LIVY_HOME_USE=
  case $LIVY_CHOICE in
    mini) return 0 ;;
    real | '') ;;
    *) die "GLUE_DEVSTACK_LIVY=$LIVY_CHOICE: use mini or real" ;;
  esac
  if [[ -n $LIVY_HOME_REAL ]]; then
    LIVY_HOME_USE=$LIVY_HOME_REAL
  elif [[ -f $LIVY_ZIP ]]; then
    livy_unpack
  elif [[ $LIVY_CHOICE == real ]]; then
    die "GLUE_DEVSTACK_LIVY=real, but there is no $LIVY_ZIP (set GLUE_DEVSTACK_LIVY_ZIP or GLUE_DEVSTACK_LIVY_HOME)"
  else
    return 0
  fi
  LIVY_KIND=real
  [[ -x $LIVY_HOME_USE/bin/livy-server ]] || die "$LIVY_HOME_USE has no bin/livy-server"
  if find "$LIVY_HOME_USE" -name '*_2.11*.jar' | grep -q .; then
    find "$LIVY_HOME_USE" -name '*_2.11*.jar' >&2
    die "Scala 2.11 jars in $LIVY_HOME_USE: Spark 3.5 needs the _2.12 Livy build"
  fi
}

livy_description() { # what the livy-kind file says, in words
  local kind home
  [[ -f $LIVY_KIND_FILE ]] || { echo "unknown"; return 0; }
  read -r kind home <"$LIVY_KIND_FILE"
  if [[ $kind == real ]]; then echo "real Apache Livy ($home)"; else echo "minilivy (devstack/minilivy.py)"; fi
}

write_livy_conf() { # spark master, deploy mode [conf dir, port]
  local dir=${3:-$CONF/livy} port=${4:-$LIVY_PORT}
  mkdir -p "$dir"
  cat >"$dir/livy.conf" <<CONF
# written by devstack/endpoint.sh
livy.server.host = $HOST
livy.server.port = $port
livy.spark.master = $1
livy.spark.deploy-mode = $2
livy.server.recovery.mode = off
livy.server.session.timeout-check = false
livy.rsc.launcher.address = $HOST
livy.rsc.rpc.server.address = $HOST
livy.repl.enable-hive-context = false
# a slow shared machine: give drivers time to start and YARN time to list the app
livy.rsc.server.connect.timeout = ${TIMEOUT}s
livy.server.yarn.app-lookup-timeout = ${TIMEOUT}s
CONF
  cat >"$dir/livy-client.conf" <<CONF
livy.rsc.launcher.address = $HOST
livy.rsc.rpc.server.address = $HOST
livy.rsc.server.connect.timeout = ${TIMEOUT}s
CONF
}

livy_up() { http_ok "$LIVY_URL/sessions"; }

livy_up_or_dead() { livy_up || { alive_or_die livy Livy; return 1; }; }

start_real_livy() { # [name, conf dir, url]: a second Livy has its own
  local name=${1:-livy} dir=${2:-$CONF/livy} url=${3:-$LIVY_URL}
  log "starting real Apache Livy from $LIVY_HOME_USE on $url"
  mkdir -p "$STATE/$name-pid"
  # bin/livy-server with no argument execs java in the foreground (its Java 17 flags included);
  # it puts LIVY_CONF_DIR, SPARK_CONF_DIR, HADOOP_CONF_DIR and YARN_CONF_DIR on its classpath.
  LIVY_CONF_DIR="$dir" LIVY_LOG_DIR="$LOGS" LIVY_PID_DIR="$STATE/$name-pid" \
    LIVY_SERVER_JAVA_OPTS="-D$MARK" \
    setsid nohup "$LIVY_HOME_USE/bin/livy-server" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  [[ $name != livy ]] || echo "real $LIVY_HOME_USE" >"$LIVY_KIND_FILE"
}

# A second real Livy on the same YARN (yarn topology): another endpoint for the same kernels,
# as when sparkmagic's per-language URLs or `%spark add -u` name two Livy servers.
second_livy_up() { http_ok "$SECOND_LIVY_URL/sessions"; }

second_livy_up_or_dead() { second_livy_up || { alive_or_die livy2 "the second Livy"; return 1; }; }

cmd_second_livy() { # up | down
  case ${1:-} in
    down) stop_pid livy2 30; return 0 ;;
    up) ;;
    *) usage ;;
  esac
  [[ $(recorded_topology) == yarn && -n $(pid_of rm) ]] || die "second-livy up needs 'up --yarn' first"
  [[ -z $(pid_of livy2) ]] || return 0
  second_livy_up && die "something else answers on $SECOND_LIVY_URL"
  choose_livy
  [[ $LIVY_KIND == real ]] || die "second-livy needs the real Livy"
  ensure_pyspark
  write_livy_conf yarn "$DEPLOY_MODE" "$CONF/livy2" "$SECOND_LIVY_PORT"
  spark_env
  yarn_env
  start_real_livy livy2 "$CONF/livy2" "$SECOND_LIVY_URL"
  wait_for "the second Livy $SECOND_LIVY_URL/sessions" second_livy_up_or_dead
}

start_minilivy() {
  log "starting minilivy (devstack/minilivy.py, Livy-compatible REST) on $LIVY_URL"
  setsid nohup "$PYTHON" -u "$HERE/minilivy.py" serve --host "$HOST" --port "$LIVY_PORT" \
    --state-dir "$STATE/livy-sessions" --spark-conf-dir "$CONF/spark" --marker "$MARK" \
    >"$LOGS/livy.log" 2>&1 </dev/null &
  echo $! >"$PIDS/livy.pid"
  echo "mini" >"$LIVY_KIND_FILE"
}

start_livy() {
  if [[ -n $(pid_of livy) ]]; then
    log "Livy already runs (pid $(pid_of livy)): $(livy_description)"
    if ! cmp -s "$CONF/livy/livy.conf" "$STATE/livy-started.conf"; then
      log "WARNING: Livy runs with an older livy.conf ($STATE/livy-started.conf, e.g. another deploy mode): 'down' and 'up' to apply $CONF/livy/livy.conf"
    fi
    return 0
  fi
  cp "$CONF/livy/livy.conf" "$STATE/livy-started.conf"
  livy_up && die "something else answers on $LIVY_URL (not started by this devstack: $STATE)"
  if [[ $LIVY_KIND == real ]]; then start_real_livy; else start_minilivy; fi
}

livy_sessions_status() {
  livy_up || return 0
  curl -fsS -m 5 "$LIVY_URL/sessions" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
print("livy    %s  sessions %d" % (sys.argv[1], d.get("total", 0)))
for s in d.get("sessions", []):
    print("  session %-4s %-14s %-10s %-8s app %s" % (s["id"], s.get("name") or "-", s["state"],
          s["kind"], s.get("appId") or "-"))' "$LIVY_URL"
}
