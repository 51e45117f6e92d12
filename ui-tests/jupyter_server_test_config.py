"""Server configuration for the glue-sessions integration tests.

!! Never use this configuration in production: it opens the server to the world
(no token, no XSRF check) and exposes JupyterLab's JavaScript objects to the page.

The server watches the endpoint emulator (emulator/ at the repository's root) that
playwright.config.js starts on GLUE_SESSIONS_EMULATOR_PORT (default 18998), which
serves recorded real Livy, YARN and Spark REST responses.
"""

import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_core.paths import jupyter_path
from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

c.ServerApp.port = int(os.environ.get("GLUE_SESSIONS_UI_PORT", "18888"))  # noqa: F821
# `jupyter lab` refuses to run as root otherwise (CI runs as root).
c.ServerApp.allow_root = True  # noqa: F821

# The extension: installed (pip install -e . / jupyter labextension develop), or else
# straight from this source tree once `jlpm build:prod` has built the labextension.
if importlib.util.find_spec("glue_sessions") is None:
    sys.path.insert(0, str(ROOT))
c.ServerApp.jpserver_extensions.update({"glue_sessions": True})  # noqa: F821

if not any(Path(p, "glue-sessions").exists() for p in jupyter_path("labextensions")):
    built = ROOT / "glue_sessions" / "labextension"
    if not (built / "package.json").exists():
        raise SystemExit("glue-sessions is not built: run `jlpm build:prod` at the root first")
    links = Path(tempfile.mkdtemp(prefix="glue-sessions-labext-"))
    (links / "glue-sessions").symlink_to(built, target_is_directory=True)
    galata = c.LabServerApp.extra_labextensions_path  # noqa: F821
    paths = [galata] if isinstance(galata, str) else list(galata or [])
    c.LabServerApp.extra_labextensions_path = [*paths, str(links)]  # noqa: F821

# The endpoint: the emulator in YARN mode with the seed scenario's cluster (10 G.1X workers).
emulator = f"http://127.0.0.1:{os.environ.get('GLUE_SESSIONS_EMULATOR_PORT', '18998')}"
c.GlueSessions.livy_url = emulator  # noqa: F821
c.GlueSessions.yarn_url = emulator  # noqa: F821
c.GlueSessions.worker_type = "G.1X"  # noqa: F821
c.GlueSessions.number_of_workers = 10  # noqa: F821
c.GlueSessions.poll_interval = 1.0  # noqa: F821
c.GlueSessions.max_backoff = 2.0  # noqa: F821
c.GlueSessions.starvation_seconds = 2.0  # noqa: F821
# A session holding executors with nothing to run is idle-hoarding after 2 s (not 60 s), so that
# hints.spec.ts can show that state; no session of the seed scenario is in it.
c.GlueSessions.idle_hoarding_seconds = 2.0  # noqa: F821
# The stop-session action (off by default): security.spec.ts stops a session of its own
# notebook from the panel. The panel offers it only on rows of this server's notebooks.
c.GlueSessions.allow_stop_sessions = True  # noqa: F821
# Kernel records of this server's kernels only: the user's runtime dir may hold records of
# kernels from other servers (a demo stopped hard), whose endpoints this server would poll too.
# Set before any kernel starts: the kernels inherit it, and the server's index reads it.
# Emptied at each start rather than on exit: playwright kills the server without a goodbye.
RUNTIME_DIR = HERE / ".jupyter-runtime"
shutil.rmtree(RUNTIME_DIR, ignore_errors=True)
RUNTIME_DIR.mkdir()
os.environ["JUPYTER_RUNTIME_DIR"] = str(RUNTIME_DIR)
# Never read the developer's own ~/.sparkmagic/config.json.
c.GlueSessions.sparkmagic_config = str(HERE / "no-sparkmagic-config.json")  # noqa: F821

# Uncomment to set server log level to debug level
# c.ServerApp.log_level = "DEBUG"
