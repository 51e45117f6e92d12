#!/usr/bin/env bash
# Runs the product on this machine from nothing: installs what is missing, brings up the local
# endpoint on 127.0.0.1 (by default what Glue and EMR run: Apache Livy on YARN driving Spark
# 3.5; with --standalone, Livy on a Spark standalone master), starts a contention scenario on
# it (one session hogging every executor, and two notebooks in JupyterLab's folder whose
# kernels the scenario drives: one starving for executors, one whose session cannot start),
# and opens JupyterLab with the glue-sessions panel showing it; open the notebooks to see their
# hints.
#
#   bash scripts/demo.sh [--standalone] [--port 8888] [--no-scenario]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
PORT=8888
SCENARIO=1
TOPOLOGY=yarn
while [ $# -gt 0 ]; do
  case "$1" in
    --standalone) TOPOLOGY=standalone; shift ;;
    --yarn) TOPOLOGY=yarn; shift ;;
    --port) PORT=$2; shift 2 ;;
    --no-scenario) SCENARIO=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/setup.sh
# One topology runs at a time: another one left up (by the tests, say) is taken down first.
running=$(cat .devstack/topology 2>/dev/null || true)
if [ -n "$running" ] && [ "$running" != "$TOPOLOGY" ]; then bash devstack/endpoint.sh down; fi
bash devstack/endpoint.sh up "--$TOPOLOGY"
source .devstack/env.sh
if [ "$TOPOLOGY" = yarn ]; then
  CLUSTER_OPTION=--GlueSessions.yarn_url=$GLUE_DEVSTACK_YARN_URL
else
  CLUSTER_OPTION=--GlueSessions.spark_master_url=$GLUE_DEVSTACK_MASTER_UI
fi

STATE="$REPO/.devstack/demo"
mkdir -p "$STATE/sparkmagic" "$STATE/notebooks" "$STATE/lab-settings"
# sparkmagic kernels of this demo talk to the local endpoint and report their sessions to us.
cat > "$STATE/sparkmagic/config.json" <<JSON
{"kernel_python_credentials": {"url": "http://127.0.0.1:8998", "auth": "None", "username": "", "password": ""},
 "kernel_scala_credentials": {"url": "http://127.0.0.1:8998", "auth": "None", "username": "", "password": ""},
 "session_configs": {"driverMemory": "512m", "executorMemory": "512m", "executorCores": 1},
 "livy_session_startup_timeout_seconds": 3600}
JSON
export SPARKMAGIC_CONF_DIR="$STATE/sparkmagic"
glue-sessions configure-sparkmagic --config "$SPARKMAGIC_CONF_DIR/config.json" >/dev/null

# Open the panel on first load.
cat > "$STATE/lab-settings/overrides.json" <<JSON
{"glue-sessions:panel": {"openAtStartup": true},
 "@jupyterlab/apputils-extension:notification": {"fetchNews": "false"}}
JSON

if [ "$SCENARIO" = 1 ]; then
  "$PYTHON" devstack/scenario.py delete-all >/dev/null
  # A hog through Livy, and two notebooks of this server whose kernels the scenario drives:
  # small-job.ipynb waits for executors, cannot-start.ipynb for its driver's container.
  nohup "$PYTHON" devstack/demo_notebooks.py --jupyter "http://127.0.0.1:$PORT" \
    --notebooks "$STATE/notebooks" >"$STATE/scenario.log" 2>&1 &
  echo "contention scenario starting in the background (sessions take about a minute):"
  echo "  tail -f $STATE/scenario.log"
fi

echo "JupyterLab on http://127.0.0.1:$PORT/lab  (stop with Ctrl-C; endpoint: bash devstack/endpoint.sh down)"
exec jupyter lab --no-browser --ip 127.0.0.1 --port "$PORT" --allow-root \
  --ServerApp.root_dir="$STATE/notebooks" \
  --LabApp.app_settings_dir="$STATE/lab-settings" \
  --LabApp.user_settings_dir="$STATE/user-settings" \
  --IdentityProvider.token='' \
  --GlueSessions.livy_url=http://127.0.0.1:8998 \
  "$CLUSTER_OPTION" \
  --GlueSessions.poll_interval=2 \
  --GlueSessions.starvation_seconds=20
