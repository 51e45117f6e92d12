# Sourced by every script: the project's virtual environment and the download cache.
#   GLUE_SESSIONS_VENV   the venv (default <repo>/.venv)
#   GLUE_SESSIONS_CACHE  big downloads kept by exact version and checksum
#                        (default ~/.cache/glue-sessions): the pyspark sdist (the Hadoop jars
#                        stay in Maven's local repository, Livy's zip in ../shared/livy)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${GLUE_SESSIONS_VENV:-$REPO/.venv}
export GLUE_SESSIONS_CACHE=${GLUE_SESSIONS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/glue-sessions}
export VIRTUAL_ENV=$VENV
export PATH="$VENV/bin:$PATH"
PYTHON="$VENV/bin/python"
# devstack/endpoint.sh and the tests run Spark with this interpreter
export GLUE_DEVSTACK_PYTHON=${GLUE_DEVSTACK_PYTHON:-$PYTHON}
