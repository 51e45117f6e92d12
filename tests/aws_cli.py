"""A stand-in for the AWS CLI: answers from JSON files in its directory, records its calls.

`sagemaker list-tags` answers tags.json, `glue get-dev-endpoint` endpoint.json and `emr
describe-cluster` cluster.json (those two wait 30 s while a file `sleep` exists); a missing
file is a failing command, any other command exits 252 as the real CLI does.
"""

from __future__ import annotations

import json
from pathlib import Path

STUB = """#!/bin/bash
echo "aws $*" >> {dir}/calls
case "$1 $2" in
  "sagemaker list-tags") cat {dir}/tags.json ;;
  "glue get-dev-endpoint") [ -e {dir}/sleep ] && sleep 30; cat {dir}/endpoint.json ;;
  "emr describe-cluster") [ -e {dir}/sleep ] && sleep 30; cat {dir}/cluster.json ;;
  *) echo "unknown command" >&2; exit 252 ;;
esac
"""


class AwsCliStandIn:
    def __init__(self, tmp: Path, instance_metadata: dict):
        self.dir = tmp
        self.cli = tmp / "aws"
        self.cli.write_text(STUB.format(dir=tmp))
        self.cli.chmod(0o755)
        self.metadata = tmp / "resource-metadata.json"  # the notebook instance's
        self.metadata.write_text(json.dumps(instance_metadata))

    def calls(self) -> list[str]:
        path = self.dir / "calls"
        return path.read_text().splitlines() if path.exists() else []

    def options(self, **kwargs) -> dict:
        """The discovery functions' keyword arguments for this stand-in, plus `kwargs`."""
        return {"aws_cli": str(self.cli), "metadata_path": str(self.metadata), **kwargs}
