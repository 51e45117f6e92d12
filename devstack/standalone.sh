# shellcheck shell=bash
# The standalone topology of devstack/endpoint.sh (sourced by it; uses its variables and
# helpers): a Spark 3.5 standalone master and one worker, Spark's configuration for them, their
# health and status, and stopping or starting the worker alone (a lost worker, for the tests).

write_standalone_spark_conf() {
  {
    echo "# written by devstack/endpoint.sh (standalone): Glue-like dynamic allocation, no maxExecutors"
    echo "spark.master                                      $MASTER_URL"
    echo "spark.submit.deployMode                           client"
    spark_glue_defaults
    echo "spark.ui.reverseProxy                             true"
  } >"$CONF/spark/spark-defaults.conf"
}

master_json() { curl -fsS -m 3 "$MASTER_UI/json/" 2>/dev/null; }

master_up() { http_ok "$MASTER_UI/json/"; }

worker_alive() {
  master_json | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if any(w.get("state") == "ALIVE" for w in d.get("workers", [])) else 1)' 2>/dev/null
}

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

up_standalone() {
  start_master
  wait_for "Spark master $MASTER_UI/json/" master_up
  start_worker
  wait_for "a registered worker" worker_alive
}

standalone_status() {
  master_up || return 0
  master_json | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
print("master  %s  %s  cores %s/%s used  workers alive %d" % (d.get("url"), d.get("status"),
      d.get("coresused"), d.get("cores"), sum(w.get("state") == "ALIVE" for w in d.get("workers", []))))
for a in d.get("activeapps", []):
    print("  app %-28s %-22s %-8s cores %s" % (a["id"], a["name"], a["state"], a["cores"]))'
}

# the Spark worker alone (fault tests): stop-worker / start-worker
cmd_stop_worker() { stop_pid worker 30; }

cmd_start_worker() {
  [[ $(recorded_topology) == standalone && -n $(pid_of master) ]] || die "start-worker needs the standalone topology up"
  ensure_pyspark
  spark_env
  start_worker
  wait_for "a registered worker" worker_alive
}
