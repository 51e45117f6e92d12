#!/bin/bash
# shellcheck disable=SC2317  # functions run through `bash -c gs_work`
# glue-sessions: lifecycle configuration of a SageMaker notebook instance ("Start notebook").
#
# Installs glue-sessions into the Jupyter environment, hooks it into sparkmagic's config once
# every sparkmagic kernel can import the hook, and restarts Jupyter (the server reads the size
# and re-applies the hook at each start). Runs as root at every start, within SageMaker's 5
# minutes: the work runs under nohup, waited for until WAIT_UNTIL (not with WAIT_FOR_FILE).
# Idempotent; a failure is logged, never stops the instance; never exits (lines may follow).
# Log: $LOG_FILE, and CloudWatch /aws/sagemaker/NotebookInstances, <instance>/LifecycleConfigOnStart.
# Undo: run it once with ACTION=uninstall, or detach it and stop/start the instance.
# Guide: docs/install.md in the glue-sessions sources.

# ---- set these ---------------------------------------------------------------------------
# The dev endpoint: empty = the instance's aws-glue-dev-endpoint tag (IAM: sagemaker:ListTags);
# its size is read with `aws glue get-dev-endpoint` (glue:GetDevEndpoint) at each server start.
DEV_ENDPOINT_NAME=${DEV_ENDPOINT_NAME:-}
# Optional, by hand (both or neither): Standard (NUMBER_OF_WORKERS = DPUs), G.1X or G.2X.
WORKER_TYPE=${WORKER_TYPE:-}
NUMBER_OF_WORKERS=${NUMBER_OF_WORKERS:-}
# What pip installs: glue-sessions, glue-sessions==0.1.0, a wheel's path or URL.
PACKAGE=${PACKAGE:-glue-sessions}
# EMR: the cluster id (j-...); the server reads its primary node at each start (`aws emr
# describe-cluster`). Not needed when sparkmagic points at the primary node.
EMR_CLUSTER_ID=${EMR_CLUSTER_ID:-}
# Optional: Livy URL (default: sparkmagic's) and YARN RM URL (http://<EMR primary>:8088).
LIVY_URL=${LIVY_URL:-}
YARN_URL=${YARN_URL:-}
# Optional: label this instance's Livy sessions with an owner (your name) for every panel,
# and with LABEL_NOTEBOOK=1 with their notebook's path.
OWNER_LABEL=${OWNER_LABEL:-}
LABEL_NOTEBOOK=${LABEL_NOTEBOOK:-}
# Hook sparkmagic only once this file exists (after AWS Glue's script: /home/ec2-user/glue_ready).
WAIT_FOR_FILE=${WAIT_FOR_FILE:-}
# install, or uninstall (undo everything this script did).
ACTION=${ACTION:-install}

# ---- the instance (change only to test the script elsewhere) -----------------------------
NB_USER=${NB_USER:-ec2-user}
NB_HOME=${NB_HOME:-/home/ec2-user}
JUPYTER_ENV=${JUPYTER_ENV:-/home/ec2-user/anaconda3/envs/JupyterSystemEnv}
LOG_FILE=${LOG_FILE:-/var/log/glue-sessions-lifecycle.log}
OS_RELEASE=${OS_RELEASE:-/etc/os-release}
RESOURCE_METADATA=${RESOURCE_METADATA:-/opt/ml/metadata/resource-metadata.json}
AWS_CLI=${AWS_CLI:-aws}
# Stop waiting this many seconds after the lifecycle script started (bash's SECONDS, so time
# spent by lines pasted above this script counts too); the work then finishes in the background.
WAIT_UNTIL=${WAIT_UNTIL:-240}
WAIT_FOR_SECONDS=${WAIT_FOR_SECONDS:-3600}

gs_opts=$(set +o)  # restored at the end, for the lines that may follow
set +e -u -o pipefail  # +e: also when pasted after lines that set -e

gs_log() { printf '%s glue-sessions: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

# Runs "$@" as user $1 with HOME=$NB_HOME, so that what it writes stays that user's.
gs_run_as() {
  local user=$1
  shift
  if [ "$(id -un)" = "$user" ]; then
    (cd "$NB_HOME" 2>/dev/null || cd /; HOME=$NB_HOME "$@")
  elif [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
    (cd /; runuser -u "$user" -- env HOME="$NB_HOME" "$@")
  else
    (cd /; sudo -n -H -u "$user" -- env HOME="$NB_HOME" "$@")
  fi
}

gs_as_user() { gs_run_as "$NB_USER" "$@"; }

gs_timeout() {  # timeout SECONDS CMD..., where coreutils' timeout exists
  if command -v timeout >/dev/null 2>&1; then timeout "$@"; else shift; "$@"; fi
}

# "$@" as the notebook user with its login environment (a proxy in ~/.profile, as AWS's
# samples set it; pip.conf is found through HOME).
gs_login() {
  # shellcheck disable=SC2016
  gs_as_user bash -c 'set +eu; for f in /etc/profile ~/.bash_profile ~/.profile; do
    [ -r "$f" ] && . "$f"; done >/dev/null 2>&1 </dev/null; exec "$@"' gs-login "$@"
}

# "version RECORD-mtime" of the installed glue_sessions distribution; empty when absent.
gs_installed() {
  gs_as_user "$GS_PY" -I - 2>/dev/null <<'EOF'
import importlib.metadata as m, os
try:
    d = m.distribution("glue_sessions")
except m.PackageNotFoundError:
    raise SystemExit(0)
print(d.version, *(os.stat(f.locate()).st_mtime_ns for f in d.files or [] if f.name == "RECORD"))
EOF
}

gs_fingerprint() {  # content and mtime of a file, or "absent"
  if [ -e "$1" ]; then echo "$(cksum <"$1") $(stat -c %Y "$1")"; else echo absent; fi
}

# Writes the extension's own config file in the environment (jupyter_server_config.d files
# only enable extensions: their other sections are ignored); exit status 3: unchanged.
gs_write_settings() {
  local aws
  aws=$(command -v "$AWS_CLI" 2>/dev/null)
  gs_as_user "$GS_PY" -I - "$GS_SETTINGS" "$WORKER_TYPE" "$NUMBER_OF_WORKERS" "$LIVY_URL" \
    "$YARN_URL" "$DEV_ENDPOINT_NAME" "${aws:-$AWS_CLI}" "$RESOURCE_METADATA" "$EMR_CLUSTER_ID" \
    "$OWNER_LABEL" "$LABEL_NOTEBOOK" <<'EOF'
import json, os, sys, tempfile
path, worker_type, workers, livy, yarn, name, aws, metadata, emr, owner, nb = sys.argv[1:]
options = {"reapply_sparkmagic_hook": True}
if owner:
    options.update(owner_label=owner, label_notebook=bool(nb))
if worker_type:
    options.update(worker_type=worker_type, number_of_workers=int(workers))
if emr:
    options["emr_cluster_id"] = emr
if name:
    options["dev_endpoint_name"] = name
elif not worker_type and not yarn and not emr:
    options["discover_dev_endpoint"] = True
if name or emr or options.get("discover_dev_endpoint"):
    options.update(aws_cli=aws, notebook_instance_metadata=metadata)
for key, value in (("livy_url", livy), ("yarn_url", yarn)):
    if value:
        options[key] = value
text = json.dumps({"GlueSessions": options}, indent=2, sort_keys=True) + "\n"
try:
    with open(path, encoding="utf-8") as f:
        if f.read() == text:
            sys.exit(3)
except FileNotFoundError:
    pass
os.makedirs(os.path.dirname(path), exist_ok=True)
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".jupyter_glue_sessions_config.")
with os.fdopen(fd, "w", encoding="utf-8") as f:
    f.write(text)
os.chmod(tmp, 0o644)
os.replace(tmp, path)
EOF
}

# As the owner of the config (normally the notebook user), so that the file and its backup
# keep their owner and mode: install: `python -m glue_sessions.reapply` (the hook, once every
# sparkmagic kernelspec's Python imports it); --undo: `glue-sessions configure-sparkmagic --undo`.
gs_sparkmagic() {
  local owner before status
  [ -x "$JUPYTER_ENV/bin/glue-sessions" ] || return 0
  owner=$(stat -c %U "$GS_SPARKMAGIC" 2>/dev/null || stat -c %U "$(dirname "$GS_SPARKMAGIC")" \
    2>/dev/null || echo "$NB_USER")
  before=$(gs_fingerprint "$GS_SPARKMAGIC")
  if [ "${1:-}" = --undo ]; then
    gs_run_as "$owner" "$JUPYTER_ENV/bin/glue-sessions" configure-sparkmagic --undo \
      --config "$GS_SPARKMAGIC"
  else
    gs_run_as "$owner" "$GS_PY" -m glue_sessions.reapply --config "$GS_SPARKMAGIC" \
      ${OWNER_LABEL:+--owner-label "$OWNER_LABEL"} ${LABEL_NOTEBOOK:+--label-notebook}
  fi
  status=$?
  if [ "$status" = 1 ] && [ "${1:-}" != --undo ]; then
    gs_log "WARNING: sparkmagic hook not written everywhere (see above)"
  elif [ "$status" != 0 ]; then
    gs_log "ERROR: sparkmagic hook ${1:-install} failed for $GS_SPARKMAGIC"
    GS_FAILED=1
  fi
  [ "$before" = "$(gs_fingerprint "$GS_SPARKMAGIC")" ] || GS_CHANGED+=" sparkmagic-config"
}

gs_wait_for_file() {  # until $WAIT_FOR_FILE exists (AWS Glue's script has set sparkmagic up)
  local waited=0
  [ -n "$WAIT_FOR_FILE" ] && [ ! -e "$WAIT_FOR_FILE" ] || return 0
  gs_log "waiting for $WAIT_FOR_FILE (up to $WAIT_FOR_SECONDS s)"
  while [ ! -e "$WAIT_FOR_FILE" ] && [ "$waited" -lt "$WAIT_FOR_SECONDS" ]; do
    sleep 2
    waited=$((waited + 2))
  done
  [ -e "$WAIT_FOR_FILE" ] || gs_log "WARNING: no $WAIT_FOR_FILE after $waited s; going on"
}

gs_restart_jupyter() {
  # As AWS's sample lifecycle scripts do: upstart on Amazon Linux 1, systemd otherwise.
  if grep -q 'amazon-linux-ami' "$OS_RELEASE" 2>/dev/null || ! command -v systemctl >/dev/null 2>&1
  then
    gs_log "restarting the Jupyter server: initctl restart jupyter-server --no-wait"
    initctl restart jupyter-server --no-wait
  else
    gs_log "restarting the Jupyter server: systemctl --no-block restart jupyter-server.service"
    systemctl --no-block restart jupyter-server.service ||
      { command -v initctl >/dev/null 2>&1 && initctl restart jupyter-server --no-wait; }
  fi || gs_log "ERROR: could not restart the Jupyter server: restart it (or the instance)"
}

gs_install() {
  local lab before after now status
  lab=$(gs_as_user "$GS_PY" -I -c 'import jupyterlab; print(jupyterlab.__version__)' 2>/dev/null)
  case "$lab" in
    [4-9].* | [1-9][0-9]*) ;;
    *)
      gs_log "ERROR: JupyterLab ${lab:-of unknown version (not importable)} in $JUPYTER_ENV;" \
        "glue-sessions needs JupyterLab 4 (platform notebook-al2-v3 or notebook-al2023-v1)." \
        "Nothing installed."
      GS_FAILED=1
      return
      ;;
  esac
  case "$WORKER_TYPE:$NUMBER_OF_WORKERS" in
    : | Standard:[1-9]* | G.1X:[1-9]* | G.2X:[1-9]*) ;;
    *) NUMBER_OF_WORKERS=x ;;
  esac
  if ! [[ "$NUMBER_OF_WORKERS" =~ ^[1-9][0-9]{0,4}$|^$ ]]; then
    gs_log "ERROR: WORKER_TYPE must be Standard, G.1X or G.2X and NUMBER_OF_WORKERS a" \
      "positive number (both, or neither). Nothing installed."
    GS_FAILED=1
    return
  fi
  if ! [[ "$EMR_CLUSTER_ID" =~ ^j-[0-9A-Z]{8,20}$|^$ ]]; then
    gs_log "ERROR: EMR_CLUSTER_ID must be an EMR cluster id (j-...). Nothing installed."
    GS_FAILED=1
    return
  fi

  before=$(gs_installed)
  now=${before%% *}
  gs_log "pip install $PACKAGE into $JUPYTER_ENV (installed now: ${now:-nothing})"
  if ! gs_login "$GS_PY" -m pip install --quiet --disable-pip-version-check --no-input \
    --progress-bar off "$PACKAGE"; then
    gs_log "ERROR: pip install $PACKAGE failed"
    GS_FAILED=1
    return
  fi
  after=$(gs_installed)
  [ "$before" = "$after" ] || GS_CHANGED+=" package(${after%% *})"

  gs_write_settings
  status=$?
  case $status in
    0) GS_CHANGED+=" settings" ;;
    3) ;;
    *) gs_log "ERROR: could not write $GS_SETTINGS" && GS_FAILED=1 ;;
  esac

  gs_wait_for_file
  gs_sparkmagic
}

gs_uninstall() {
  gs_sparkmagic --undo
  if [ -e "$GS_SETTINGS" ]; then
    gs_as_user rm -f "$GS_SETTINGS" && GS_CHANGED+=" settings"
  fi
  if [ -n "$(gs_installed)" ]; then
    gs_as_user "$GS_PY" -m pip uninstall --quiet --disable-pip-version-check -y glue_sessions &&
      GS_CHANGED+=" package"
  fi
}

# The part that may outlive the lifecycle hook (started with nohup below).
gs_work() {
  GS_PY="$JUPYTER_ENV/bin/python"
  GS_SETTINGS="$JUPYTER_ENV/etc/jupyter/jupyter_glue_sessions_config.json"
  GS_SPARKMAGIC="$NB_HOME/.sparkmagic/config.json"
  GS_CHANGED=""
  GS_FAILED=0
  export PYTHONDONTWRITEBYTECODE=1
  if command -v flock >/dev/null 2>&1; then
    exec 9>>"$LOG_FILE.lock" && flock -w 600 9
  fi
  if [ ! -x "$GS_PY" ]; then
    gs_log "ERROR: no Python at $GS_PY: set JUPYTER_ENV. Nothing done."
    return 1
  fi
  case "$ACTION" in
    install) gs_install ;;
    uninstall) gs_uninstall ;;
    *) gs_log "ERROR: ACTION must be install or uninstall, not '$ACTION'" && return 1 ;;
  esac
  if [ -n "$GS_CHANGED" ]; then
    gs_log "changed:$GS_CHANGED"
    gs_restart_jupyter
  else
    gs_log "nothing changed"
  fi
  gs_log "$ACTION finished$([ "$GS_FAILED" = 0 ] || echo ' WITH ERRORS')"
  return "$GS_FAILED"
}

mkdir -p "$(dirname "$LOG_FILE")" 2>/dev/null
touch "$LOG_FILE" 2>/dev/null || LOG_FILE=/tmp/glue-sessions-lifecycle.log
chmod 644 "$LOG_FILE" 2>/dev/null
gs_log_start=$(stat -c %s "$LOG_FILE" 2>/dev/null || echo 0)
gs_log "$ACTION: user $NB_USER, home $NB_HOME, env $JUPYTER_ENV, package $PACKAGE" >>"$LOG_FILE"

export WORKER_TYPE NUMBER_OF_WORKERS DEV_ENDPOINT_NAME EMR_CLUSTER_ID PACKAGE LIVY_URL YARN_URL \
  OWNER_LABEL LABEL_NOTEBOOK WAIT_FOR_FILE WAIT_FOR_SECONDS ACTION NB_USER NB_HOME JUPYTER_ENV LOG_FILE OS_RELEASE RESOURCE_METADATA AWS_CLI
export -f gs_log gs_run_as gs_as_user gs_timeout gs_login gs_installed gs_fingerprint \
  gs_write_settings gs_sparkmagic gs_wait_for_file gs_restart_jupyter gs_install gs_uninstall \
  gs_work
nohup bash -c gs_work >>"$LOG_FILE" 2>&1 </dev/null &
gs_pid=$!
while [ -z "$WAIT_FOR_FILE" ] && kill -0 "$gs_pid" 2>/dev/null && [ "$SECONDS" -lt "$WAIT_UNTIL" ]
do
  sleep 1
done
if kill -0 "$gs_pid" 2>/dev/null; then
  gs_log "still working in the background (pid $gs_pid), see $LOG_FILE" >>"$LOG_FILE"
else
  wait "$gs_pid" || gs_log "finished with errors, see $LOG_FILE" >>"$LOG_FILE"
fi
tail -c +"$((gs_log_start + 1))" "$LOG_FILE"  # into the lifecycle hook's CloudWatch stream
eval "$gs_opts"  # the shell options of the lines above, for the lines below (AWS Glue's)
hash -r  # and no command remembered here (SageMaker's PATH has a relative "bin")
