#!/usr/bin/env bash
# Installs what glue-sessions needs on a fresh Debian machine (root), and builds it.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
PYTHON=${PYTHON:-python3}

step() { printf '\n== %s\n' "$*"; }

step "Debian packages (libkrb5-dev for sparkmagic's gssapi, chromium for the browser tests)"
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

step "Python packages"
"$PYTHON" -m pip install -q --disable-pip-version-check \
  "jupyterlab==4.6.*" "hatchling>=1.5" "hatch-nodejs-version>=0.3.2" "hatch-jupyter-builder>=0.5" \
  editables build
# The lab extension is built by the package's build hook (jlpm, with the committed lockfile).
"$PYTHON" -m pip install -q --disable-pip-version-check --no-build-isolation -e ".[test]"
jupyter labextension develop --overwrite . >/dev/null

step "sparkmagic kernels"
sparkmagic_dir=$("$PYTHON" -c 'import os, sparkmagic; print(os.path.dirname(sparkmagic.__file__))')
installed=$(jupyter kernelspec list --json)
for kernel in pysparkkernel sparkkernel; do
  grep -q "\"$kernel\"" <<<"$installed" ||
    jupyter-kernelspec install --sys-prefix "$sparkmagic_dir/kernels/$kernel" >/dev/null
done

step "ready"
jupyter server extension list 2>&1 | grep glue_sessions || true
jupyter labextension list 2>&1 | grep glue-sessions || true
