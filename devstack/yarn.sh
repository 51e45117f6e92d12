# shellcheck shell=bash
# The YARN topology of devstack/endpoint.sh (sourced by it; uses its variables and helpers):
# a Hadoop 3.3.4 ResourceManager (CapacityScheduler, DominantResourceCalculator, its embedded
# web proxy) and one NodeManager, from the Maven Central jars of devstack/hadoop/pom.xml, every
# address on 127.0.0.1; Spark 3.5 on YARN with Glue's dynamic allocation; the real Livy with
# livy.spark.master = yarn. The CapacityScheduler's configuration is kept in a mutable store
# (memory), so that a test can change it at run time through the RM's REST API
# (PUT /ws/v1/cluster/scheduler-conf), as an operator would: the AM-resource limit, for example.
#
# Environment (all optional):
#   GLUE_DEVSTACK_DEPLOY_MODE   Livy's deploy mode: cluster (driver in a YARN container, as on
#                               Glue/EMR) or client (driver next to Livy)      (default cluster)
#   GLUE_DEVSTACK_NM_VCORES / GLUE_DEVSTACK_NM_MEMORY_MB   NodeManager resources  (6 / 8192)
#   GLUE_DEVSTACK_RM_WEB_PORT   RM web app, REST and web proxy                   (default 8088)
#   GLUE_DEVSTACK_RM_PORT       RM client port; scheduler, resource tracker and admin take the
#                               ones below it (8032: 8030, 8031, 8033)
#   GLUE_DEVSTACK_NM_PORT / GLUE_DEVSTACK_NM_WEB_PORT                           (8041 / 8042)
#   GLUE_DEVSTACK_M2            maven local repository       (default: maven's, ~/.m2/repository)

HADOOP_VERSION=3.3.4
DEPLOY_MODE=${GLUE_DEVSTACK_DEPLOY_MODE:-cluster}
NM_VCORES=${GLUE_DEVSTACK_NM_VCORES:-6}
NM_MEMORY_MB=${GLUE_DEVSTACK_NM_MEMORY_MB:-8192}
RM_WEB_PORT=${GLUE_DEVSTACK_RM_WEB_PORT:-8088}
RM_PORT=${GLUE_DEVSTACK_RM_PORT:-8032}
RM_SCHEDULER_PORT=$((RM_PORT - 2))
RM_TRACKER_PORT=$((RM_PORT - 1))
RM_ADMIN_PORT=$((RM_PORT + 1))
NM_PORT=${GLUE_DEVSTACK_NM_PORT:-8041}
NM_WEB_PORT=${GLUE_DEVSTACK_NM_WEB_PORT:-8042}
NM_LOCALIZER_PORT=$((NM_PORT - 1))
NM_COLLECTOR_PORT=$((NM_WEB_PORT + 6))
NM_AMRM_PORT=$((NM_WEB_PORT + 7))

YARN_URL="http://$HOST:$RM_WEB_PORT"
HADOOP_CACHE="$CACHE/hadoop-$HADOOP_VERSION"
HADOOP_JARS="$HADOOP_CACHE/jars"
HADOOP_CONF="$CONF/hadoop"
YARN_STATE="$STATE/yarn"

case $DEPLOY_MODE in
  cluster | client) ;;
  *) die "GLUE_DEVSTACK_DEPLOY_MODE=$DEPLOY_MODE: use cluster or client" ;;
esac

# ---------------------------------------------------------------- jars
yarn_jars_complete() { # the jar list written after a successful fetch, every jar present
  local jar
  [[ -f $HADOOP_CACHE/jars.list ]] || return 1
  while read -r jar; do
    [[ -s $HADOOP_JARS/$jar ]] || return 1
  done <"$HADOOP_CACHE/jars.list"
}

yarn_fetch_jars() {
  if yarn_jars_complete; then return 0; fi
  command -v mvn >/dev/null || die "mvn not found: it fetches the Hadoop $HADOOP_VERSION jars"
  local t0=$SECONDS tmp="$HADOOP_CACHE/jars.tmp.$$" repo=()
  [[ -n ${GLUE_DEVSTACK_M2:-} ]] && repo=("-Dmaven.repo.local=$GLUE_DEVSTACK_M2")
  log "fetching the Hadoop $HADOOP_VERSION jars from Maven Central into $HADOOP_JARS (about 70 MB)"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  mvn -B -q -f "$HERE/hadoop/pom.xml" "${repo[@]}" dependency:copy-dependencies \
    "-DoutputDirectory=$tmp" >"$HADOOP_CACHE/mvn.log" 2>&1 \
    || { rm -rf "$tmp"; die "mvn dependency:copy-dependencies failed, see $HADOOP_CACHE/mvn.log"; }
  rm -rf "$HADOOP_JARS"
  mv "$tmp" "$HADOOP_JARS"
  (cd "$HADOOP_JARS" && ls -- *.jar) >"$HADOOP_CACHE/jars.list"
  log "$(wc -l <"$HADOOP_CACHE/jars.list") jars in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- configuration
xml_conf() { # name=value... -> a Hadoop configuration file on stdout
  local kv
  echo '<?xml version="1.0"?>'
  echo '<!-- written by devstack/yarn.sh -->'
  echo '<configuration>'
  for kv in "$@"; do
    printf '  <property><name>%s</name><value>%s</value></property>\n' "${kv%%=*}" "${kv#*=}"
  done
  echo '</configuration>'
}

yarn_write_conf() {
  mkdir -p "$HADOOP_CONF" "$YARN_STATE"/{tmp,nm-local,nm-logs,staging}
  xml_conf \
    "fs.defaultFS=file:///" \
    "hadoop.tmp.dir=$YARN_STATE/tmp" \
    >"$HADOOP_CONF/core-site.xml"
  xml_conf \
    "yarn.resourcemanager.hostname=$HOST" \
    "yarn.resourcemanager.bind-host=$HOST" \
    "yarn.resourcemanager.address=$HOST:$RM_PORT" \
    "yarn.resourcemanager.scheduler.address=$HOST:$RM_SCHEDULER_PORT" \
    "yarn.resourcemanager.resource-tracker.address=$HOST:$RM_TRACKER_PORT" \
    "yarn.resourcemanager.admin.address=$HOST:$RM_ADMIN_PORT" \
    "yarn.resourcemanager.webapp.address=$HOST:$RM_WEB_PORT" \
    "yarn.resourcemanager.scheduler.class=org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler" \
    "yarn.scheduler.configuration.store.class=memory" \
    "yarn.resourcemanager.recovery.enabled=false" \
    "yarn.nm.liveness-monitor.expiry-interval-ms=$((WORKER_TIMEOUT * 1000))" \
    "yarn.scheduler.minimum-allocation-mb=256" \
    "yarn.scheduler.minimum-allocation-vcores=1" \
    "yarn.scheduler.maximum-allocation-mb=$NM_MEMORY_MB" \
    "yarn.scheduler.maximum-allocation-vcores=$NM_VCORES" \
    "yarn.nodemanager.hostname=$HOST" \
    "yarn.nodemanager.bind-host=$HOST" \
    "yarn.nodemanager.address=$HOST:$NM_PORT" \
    "yarn.nodemanager.localizer.address=$HOST:$NM_LOCALIZER_PORT" \
    "yarn.nodemanager.webapp.address=$HOST:$NM_WEB_PORT" \
    "yarn.nodemanager.collector-service.address=$HOST:$NM_COLLECTOR_PORT" \
    "yarn.nodemanager.amrmproxy.address=$HOST:$NM_AMRM_PORT" \
    "yarn.nodemanager.resource.cpu-vcores=$NM_VCORES" \
    "yarn.nodemanager.resource.memory-mb=$NM_MEMORY_MB" \
    "yarn.nodemanager.vmem-check-enabled=false" \
    "yarn.nodemanager.pmem-check-enabled=false" \
    "yarn.nodemanager.local-dirs=$YARN_STATE/nm-local" \
    "yarn.nodemanager.log-dirs=$YARN_STATE/nm-logs" \
    "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage=99" \
    "yarn.nodemanager.recovery.enabled=false" \
    "yarn.log-aggregation-enable=false" \
    "yarn.timeline-service.enabled=false" \
    "yarn.webapp.ui2.enable=false" \
    >"$HADOOP_CONF/yarn-site.xml"
  xml_conf \
    "yarn.scheduler.capacity.resource-calculator=org.apache.hadoop.yarn.util.resource.DominantResourceCalculator" \
    "yarn.scheduler.capacity.maximum-am-resource-percent=0.5" \
    "yarn.scheduler.capacity.root.queues=default" \
    "yarn.scheduler.capacity.root.default.capacity=100" \
    "yarn.scheduler.capacity.root.default.maximum-capacity=100" \
    "yarn.scheduler.capacity.root.default.state=RUNNING" \
    >"$HADOOP_CONF/capacity-scheduler.xml"
  # Hadoop 3.3.4 logs through log4j 1 (reload4j): INFO to stderr, i.e. to logs/{rm,nm}.log
  log4j1_to_stderr "log4j.logger.org.apache.hadoop.util.NativeCodeLoader=ERROR" \
    >"$HADOOP_CONF/log4j.properties"
}

yarn_write_spark_conf() {
  local py
  py=$(command -v "$PYTHON")
  {
    echo "# written by devstack/yarn.sh: Spark on YARN with Glue-like dynamic allocation, no maxExecutors"
    echo "spark.master                                      yarn"
    echo "spark.submit.deployMode                           $DEPLOY_MODE"
    spark_glue_defaults
    cat <<CONF
spark.yarn.am.memory                              512m
spark.yarn.am.extraJavaOptions                    -D$MARK
spark.yarn.jars                                   local:$SPARK_HOME/jars/*
spark.yarn.stagingDir                             file://$YARN_STATE/staging
spark.yarn.appMasterEnv.SPARK_LOCAL_IP            $HOST
spark.executorEnv.SPARK_LOCAL_IP                  $HOST
spark.yarn.appMasterEnv.PYSPARK_PYTHON            $py
spark.executorEnv.PYSPARK_PYTHON                  $py
CONF
  } >"$CONF/spark/spark-defaults.conf"
}

yarn_env() {
  ensure_java
  export HADOOP_CONF_DIR="$HADOOP_CONF" YARN_CONF_DIR="$HADOOP_CONF"
}

# the JVM flags of the RM and the NM: Java 17 module openings, the devstack marker, logs
yarn_java() { # name main-class
  local name=$1 main=$2 opens=() pkg
  for pkg in java.lang java.lang.reflect java.lang.invoke java.util java.util.concurrent \
    java.util.concurrent.atomic java.io java.net java.nio sun.nio.ch java.security javax.crypto \
    sun.security.util; do
    opens+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
  done
  setsid nohup "$JAVA_HOME/bin/java" -Xmx1g -XX:+IgnoreUnrecognizedVMOptions "${opens[@]}" \
    --add-exports=java.base/sun.net.dns=ALL-UNNAMED --add-exports=java.base/sun.net.util=ALL-UNNAMED \
    "-D$MARK" "-Dhadoop.log.dir=$LOGS" "-Dyarn.log.dir=$LOGS" "-Dhadoop.tmp.dir=$YARN_STATE/tmp" \
    -cp "$HADOOP_CONF:$HADOOP_JARS/*" "$main" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

# ---------------------------------------------------------------- health
rm_up() { http_ok "$YARN_URL/ws/v1/cluster/info"; }

nm_running() { # the RM lists a RUNNING node
  curl -fsS -m 3 "$YARN_URL/ws/v1/cluster/nodes" 2>/dev/null | "$PYTHON" -c '
import json, sys
nodes = (json.load(sys.stdin).get("nodes") or {}).get("node") or []
sys.exit(0 if any(n.get("state") == "RUNNING" for n in nodes) else 1)' 2>/dev/null
}

nm_registered() { # this NM process registered (after a restart the RM may still list the old one)
  alive_or_die nm "the NodeManager"
  grep -q "Registered with ResourceManager" "$LOGS/nm.log" 2>/dev/null && nm_running
}

rm_up_or_dead() { rm_up || { alive_or_die rm "the ResourceManager"; return 1; }; }

# ---------------------------------------------------------------- daemons
start_rm() {
  if [[ -n $(pid_of rm) ]]; then return 0; fi
  rm_up && die "something else answers on $YARN_URL (not started by this devstack: $STATE)"
  log "starting YARN ResourceManager on $HOST:$RM_PORT (web, REST and proxy $YARN_URL)"
  yarn_java rm org.apache.hadoop.yarn.server.resourcemanager.ResourceManager
}

start_nm() {
  if [[ -n $(pid_of nm) ]]; then return 0; fi
  log "starting YARN NodeManager ($NM_VCORES vcores, $NM_MEMORY_MB MB) on $HOST:$NM_PORT"
  # JAVA_HOME is in the NM's environment: containers run {{JAVA_HOME}}/bin/java
  yarn_java nm org.apache.hadoop.yarn.server.nodemanager.NodeManager
}

up_yarn() {
  yarn_env
  start_rm
  wait_for "the ResourceManager $YARN_URL/ws/v1/cluster/info" rm_up_or_dead
  start_nm
  wait_for "a NodeManager registered with the RM" nm_registered
}

# the NodeManager alone (fault tests): stop-nm / start-nm
cmd_stop_nm() {
  [[ $(recorded_topology) == yarn ]] || die "stop-nm: the yarn topology is not the one of $STATE"
  # a NodeManager stopped with TERM stops its containers and unregisters (node state SHUTDOWN)
  stop_pid nm 40
}

cmd_start_nm() {
  [[ $(recorded_topology) == yarn && -n $(pid_of rm) ]] || die "start-nm needs the yarn topology up (ResourceManager running)"
  yarn_env
  start_nm
  wait_for "a NodeManager registered with the RM" nm_registered
  log "NodeManager registered"
}

# ---------------------------------------------------------------- status
yarn_status() {
  rm_up || return 0
  {
    curl -fsS -m 5 "$YARN_URL/ws/v1/cluster/metrics"
    echo
    curl -fsS -m 5 "$YARN_URL/ws/v1/cluster/apps?states=NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING"
    echo
  } | "$PYTHON" -c '
import json, sys
lines = sys.stdin.read().splitlines()
m = json.loads(lines[0])["clusterMetrics"]
print("yarn    %s  vcores %s/%s used  memory %s/%s MB  containers %s  nodes active %s lost %s  apps running %s pending %s" % (
    sys.argv[1], m["allocatedVirtualCores"], m["totalVirtualCores"], m["allocatedMB"], m["totalMB"],
    m["containersAllocated"], m["activeNodes"], m["lostNodes"], m["appsRunning"], m["appsPending"]))
apps = (json.loads(lines[1]).get("apps") or {}).get("app") or []
for a in sorted(apps, key=lambda a: a["id"]):
    pending = sum(int(r.get("numContainers", 0)) for r in a.get("resourceRequests") or [])
    print("  app %-32s %-18s %-9s vcores %-3s MB %-6s containers %-3s pending %s" % (
        a["id"], a["name"], a["state"], a["allocatedVCores"], a["allocatedMB"],
        a["runningContainers"], pending))' "$YARN_URL"
}

yarn_summary() {
  cat >&2 <<MSG
[devstack] Livy:          $LIVY_URL   ($(livy_description), deploy mode $DEPLOY_MODE)
[devstack] YARN RM:       $YARN_URL   REST $YARN_URL/ws/v1/cluster/{metrics,apps,scheduler,nodes}
[devstack] Driver REST:   $YARN_URL/proxy/<app-id>/api/v1/applications  (RM web proxy)
[devstack] NodeManager:   http://$HOST:$NM_WEB_PORT  ($NM_VCORES vcores, $NM_MEMORY_MB MB)
[devstack] logs:          $LOGS/{rm,nm,livy}.log, containers: $YARN_STATE/nm-logs/
[devstack] env:           source $STATE/env.sh
MSG
}
