#!/usr/bin/env bash
# Installs what glue-sessions needs on a fresh Debian machine and builds it: Debian packages
# (as root), then every Python package into the project's virtual environment (.venv), with
# pip's build isolation on. Safe to run any number of times: a step whose inputs did not
# change since it last succeeded is skipped, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export DEBIAN_FRONTEND=noninteractive
BASE_PYTHON=${BASE_PYTHON:-python3}
# pyspark 3.5.x is only on PyPI as a ~300 MB sdist: kept by exact version and checksum.
PYSPARK_VERSION=3.5.6
PYSPARK_SHA256=f8b1c4360e41ab398c64904fae08740503bcb6bd389457d659fa6d9f2952cc48

step() { printf '\n== %s\n' "$*"; }
changed=0 # set when a step installed something: the end then shows what Jupyter sees
pip_install() { "$PYTHON" -m pip install -q --disable-pip-version-check "$@"; }
# What a step's result depends on: when this changes, the step runs again.
fingerprint() { cat "$@" | sha256sum | cut -d' ' -f1; }

step "Debian packages (libkrb5-dev for sparkmagic's gssapi, chromium for the browser tests)"
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
"$BASE_PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

step "virtual environment $VENV"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)' 2>/dev/null; then
  rm -rf "$VENV"
  "$BASE_PYTHON" -m venv "$VENV"
  pip_install --upgrade pip
  changed=1
fi
echo "activate it with: source $VENV/bin/activate"

step "pyspark $PYSPARK_VERSION (sdist from $GLUE_SESSIONS_CACHE)"
if [ "$("$PYTHON" -c 'import pyspark; print(pyspark.__version__)' 2>/dev/null)" != "$PYSPARK_VERSION" ]; then
  sdist="$GLUE_SESSIONS_CACHE/pyspark-$PYSPARK_VERSION.tar.gz"
  if ! echo "$PYSPARK_SHA256  $sdist" | sha256sum -c --status 2>/dev/null; then
    mkdir -p "$GLUE_SESSIONS_CACHE"
    rm -f "$sdist"
    "$PYTHON" -m pip download -q --no-deps --no-binary :all: -d "$GLUE_SESSIONS_CACHE" \
      "pyspark==$PYSPARK_VERSION"
    echo "$PYSPARK_SHA256  $sdist" | sha256sum -c --quiet
  fi
  pip_install "$sdist"
  changed=1
fi

step "Python packages (the project, editable, with its test and dev tools)"
stamp="$VENV/.glue-sessions-installed"
want=$(fingerprint pyproject.toml package.json yarn.lock scripts/setup.sh)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PYTHON" -c 'import glue_sessions, sparkmagic' 2>/dev/null; then
  # A link left by `jupyter labextension develop` would make pip write into the source tree.
  link="$VENV/share/jupyter/labextensions/glue-sessions"
  if [ -L "$link" ]; then rm "$link"; fi
  # The lab extension is built by the package's build hook (jlpm, with the committed lockfile).
  pip_install -e ".[dev]"
  echo "$want" >"$stamp"
  changed=1
fi

step "lab extension"
# Rebuilt when a source is newer than the build (the editable install above built it once).
built=glue_sessions/labextension/package.json
if [ ! -e "$built" ] || [ -n "$(find src style schema package.json -newer "$built" -print -quit)" ]; then
  jlpm build
fi
link="$VENV/share/jupyter/labextensions/glue-sessions"
if [ "$(readlink "$link")" != "$REPO/glue_sessions/labextension" ]; then
  jupyter labextension develop --overwrite . >/dev/null
  changed=1
fi

step "sparkmagic kernels"
sparkmagic_dir=$("$PYTHON" -c 'import os, sparkmagic; print(os.path.dirname(sparkmagic.__file__))')
installed=$(jupyter kernelspec list --json)
for kernel in pysparkkernel sparkkernel; do
  grep -q "\"$kernel\"" <<<"$installed" ||
    jupyter-kernelspec install --sys-prefix "$sparkmagic_dir/kernels/$kernel" >/dev/null
done

step "ready"
if [ "$changed" = 1 ]; then
  jupyter server extension list 2>&1 | grep glue_sessions || true
  jupyter labextension list 2>&1 | grep glue-sessions || true
fi
