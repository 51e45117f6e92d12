"""The sparkmagic kernelspecs the kernel tests install (one place for their argv)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# sparkmagic's kernels: module, display name, language. Each reads its own entry of
# sparkmagic's config (kernel_python_credentials, kernel_scala_credentials).
PYSPARK = ("sparkmagic.kernels.pysparkkernel.pysparkkernel", "PySpark", "python")
SCALA = ("sparkmagic.kernels.sparkkernel.sparkkernel", "Spark", "scala")


def write_kernelspec(data_dir: Path, name: str, kernel: tuple[str, str, str]) -> str:
    """Writes data_dir/kernels/<name>/kernel.json running one of sparkmagic's kernels with
    this Python; returns the kernel name."""
    module, display_name, language = kernel
    spec_dir = data_dir / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", module, "-f", "{connection_file}"],
        "display_name": display_name,
        "language": language,
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return name


def write_pyspark_kernelspec(
    data_dir: Path, name: str = "pysparkkernel", display_name: str = "PySpark"
) -> str:
    return write_kernelspec(data_dir, name, (PYSPARK[0], display_name, PYSPARK[2]))


def write_scala_kernelspec(data_dir: Path, name: str = "sparkkernel") -> str:
    return write_kernelspec(data_dir, name, SCALA)
