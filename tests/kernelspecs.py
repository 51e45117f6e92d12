"""The sparkmagic PySpark kernelspec the kernel tests install (one place for its argv)."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def write_pyspark_kernelspec(
    data_dir: Path, name: str = "pysparkkernel", display_name: str = "PySpark"
) -> str:
    """Writes data_dir/kernels/<name>/kernel.json running sparkmagic's PySpark kernel with
    this Python; returns the kernel name."""
    spec_dir = data_dir / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "sparkmagic.kernels.pysparkkernel.pysparkkernel",
            "-f",
            "{connection_file}",
        ],
        "display_name": display_name,
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return name
