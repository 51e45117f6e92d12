# shellcheck shell=bash
# The configuration of devstack/endpoint.sh (sourced by it; uses its variables and helpers):
# what it writes into its state dir for either topology (log4j for Spark, Livy and Hadoop, the
# Spark settings both topologies share, the topology's conf tree, env.sh for a user's shell),
# and the environment that the Spark daemons, spark-submit and Livy run with.

write_log4j() {
  # INFO to stderr, so that a session's log holds the driver's "Bound SparkUI ..." line
  cat >"$CONF/spark/log4j2.properties" <<'L4J'
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
L4J
  log4j1_to_stderr >"$CONF/livy/log4j.properties"
}

# shellcheck disable=SC2120 # yarn.sh passes it lines (checked alone, this file never does)
log4j1_to_stderr() { # a log4j 1 configuration (Livy's, Hadoop's): INFO to stderr, then "$@"
  cat <<'L4J'
log4j.rootLogger=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
log4j.logger.org.eclipse.jetty=WARN
L4J
  if [ $# -gt 0 ]; then printf '%s\n' "$@"; fi
}

spark_glue_defaults() { # the Spark settings both topologies share: Glue-like dynamic allocation
  cat <<CONF
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
spark.ui.showConsoleProgress                      false
spark.sql.shuffle.partitions                      8
spark.driver.extraJavaOptions                     -D$MARK
spark.executor.extraJavaOptions                   -D$MARK
CONF
}

write_conf() { # topology
  mkdir -p "$CONF/spark" "$CONF/livy" "$LOGS" "$PIDS" "$WORK" "$STATE/livy-sessions"
  write_log4j
  case $1 in
    standalone)
      write_standalone_spark_conf
      write_livy_conf "$MASTER_URL" client
      ;;
    yarn)
      yarn_write_conf
      yarn_write_spark_conf
      write_livy_conf yarn "$DEPLOY_MODE"
      ;;
  esac
  write_env_sh "$1"
}

write_env_sh() { # topology
  {
    echo "# source me: what devstack/endpoint.sh runs with"
    echo "export GLUE_DEVSTACK_TOPOLOGY='$1'"
    echo "export GLUE_DEVSTACK_LIVY_URL='$LIVY_URL'"
    echo "export SPARK_HOME='$SPARK_HOME'"
    echo "export SPARK_CONF_DIR='$CONF/spark'"
    echo "export SPARK_LOCAL_IP='$HOST'"
    if [[ $1 == yarn ]]; then
      echo "export GLUE_DEVSTACK_YARN_URL='$YARN_URL'"
      echo "export GLUE_DEVSTACK_DEPLOY_MODE='$DEPLOY_MODE'"
      echo "export HADOOP_CONF_DIR='$HADOOP_CONF'"
      echo "export YARN_CONF_DIR='$HADOOP_CONF'"
      echo "unset GLUE_DEVSTACK_MASTER_URL GLUE_DEVSTACK_MASTER_UI"
    else
      echo "export GLUE_DEVSTACK_MASTER_URL='$MASTER_URL'"
      echo "export GLUE_DEVSTACK_MASTER_UI='$MASTER_UI'"
      echo "unset GLUE_DEVSTACK_YARN_URL GLUE_DEVSTACK_DEPLOY_MODE HADOOP_CONF_DIR YARN_CONF_DIR"
    fi
  } >"$STATE/env.sh"
}

spark_env() {
  export SPARK_CONF_DIR="$CONF/spark" SPARK_LOCAL_IP="$HOST" SPARK_NO_DAEMONIZE=1
  export SPARK_DAEMON_JAVA_OPTS="-D$MARK"
  # spark-submit's own JVM (in YARN cluster mode it is not the driver) carries the marker too
  export SPARK_SUBMIT_OPTS="-D$MARK"
  # A lost worker is declared dead after this many seconds (Spark's default is 60).
  export SPARK_MASTER_OPTS="-Dspark.worker.timeout=$WORKER_TIMEOUT"
  export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$(command -v "$PYTHON")}"
  export PYSPARK_DRIVER_PYTHON="${PYSPARK_DRIVER_PYTHON:-$PYSPARK_PYTHON}"
}
