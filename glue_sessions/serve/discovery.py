"""The Glue dev endpoint behind a SageMaker notebook instance, and its size, from the AWS CLI.

Owns: reading the instance's ARN from SageMaker's resource metadata file, its
``aws-glue-dev-endpoint`` tag (``aws sagemaker list-tags``), and the endpoint's WorkerType and
NumberOfWorkers (``aws glue get-dev-endpoint``). The server calls :func:`discover` once when it
starts, so a notebook switched to another endpoint in the Glue console is picked up by a
restart of the Jupyter server. For Amazon EMR: the primary node of a cluster named by its id
(``aws emr describe-cluster``), and whether a YARN ResourceManager answers on the Livy host
(:func:`probe_yarn_rm`, through the poller's asynchronous HTTP client).

Never: calls AWS per poll, blocks the event loop (the CLI runs as an asyncio subprocess with a
timeout and is killed when it overruns), passes AWS output to a shell or into a log unescaped
(everything read is parsed as JSON, checked against a pattern, and shown with ``repr``), or
writes anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..client.aio import within
from ..client.http import FetchError
from ..client.urls import on_host_of
from ..observe.capacity import WORKER_TYPES

GLUE_TAG = "aws-glue-dev-endpoint"
# The defaults of the AWS CLI calls, and of the c.GlueSessions options that set them.
AWS_CLI = "aws"
AWS_CLI_TIMEOUT = 30.0
SAGEMAKER_METADATA = "/opt/ml/metadata/resource-metadata.json"
# arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/name (also aws-cn, aws-us-gov)
_ARN = re.compile(r"^arn:aws[a-z-]*:sagemaker:([a-z0-9-]{1,32}):\d{12}:notebook-instance/[\w.-]+$")
_ENDPOINT_NAME = re.compile(r"^[\w.-]{1,255}$")  # what Glue accepts for an endpoint name
# j- and 13 upper-case letters and digits today; a little room either way, nothing else.
_CLUSTER_ID = re.compile(r"^j-[0-9A-Z]{8,20}$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")  # a DNS name or an IPv4 address
# describe-cluster states in which the cluster has (or is about to have) a primary node
EMR_ACTIVE_STATES = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING")
LIVY_PORT = 8998  # where EMR runs Livy on the primary node
RM_PORT = 8088  # and the YARN ResourceManager's web address (REST API and web proxy)
MAX_OUTPUT_BYTES = 1024 * 1024
MAX_WORKERS = 10_000
JSON = ("--output", "json")


class DiscoveryError(Exception):
    """The endpoint or its size could not be read; the message says why (no AWS text raw)."""


@dataclass(frozen=True)
class DevEndpointSize:
    name: str
    worker_type: str
    number_of_workers: int
    source: str  # "setting" (name given) or "tag" (the instance's aws-glue-dev-endpoint tag)


def read_instance_arn(metadata_path: str) -> str:
    """The notebook instance's ARN from SageMaker's resource-metadata.json."""
    try:
        with open(metadata_path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as error:
        raise DiscoveryError(f"cannot read {metadata_path}: {error}") from None
    arn = data.get("ResourceArn") if isinstance(data, dict) else None
    if not isinstance(arn, str) or not _ARN.match(arn):
        raise DiscoveryError(f"{metadata_path} holds no notebook-instance ResourceArn")
    return arn


def region_of(arn: str) -> str:
    match = _ARN.match(arn)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class EmrCluster:
    id: str
    state: str
    primary: str  # the primary node's DNS name (MasterPublicDnsName) or address

    @property
    def livy_url(self) -> str:
        return f"http://{self.primary}:{LIVY_PORT}"

    @property
    def yarn_url(self) -> str:
        return f"http://{self.primary}:{RM_PORT}"


@dataclass(frozen=True)
class YarnRm:
    url: str
    version: str  # resourceManagerVersion, as the RM says it (only ever shown with repr)


def _region_args(metadata_path: str) -> list[str]:
    """--region from AWS_REGION / AWS_DEFAULT_REGION, else the notebook instance's ARN, else
    none (the CLI's own configuration decides)."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
    if not region and metadata_path:
        with contextlib.suppress(DiscoveryError):
            region = region_of(read_instance_arn(metadata_path))
    return ["--region", region] if region else []


async def run_cli(argv: list[str], timeout: float) -> Any:
    """Runs the AWS CLI (no shell) and returns its JSON answer."""
    try:
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # so that a timeout ends its children too
        )
    except OSError as error:
        raise DiscoveryError(f"cannot run {argv[0]!r}: {error.strerror or error}") from None
    try:
        out, err = await within(proc.communicate(), timeout)
    except asyncio.TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()
        raise DiscoveryError(f"{' '.join(argv[1:3])} gave no answer in {timeout:g} s") from None
    if proc.returncode != 0:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise DiscoveryError(f"{' '.join(argv[1:3])} failed ({proc.returncode}): {last[0][:300]!r}")
    if len(out) > MAX_OUTPUT_BYTES:
        raise DiscoveryError(f"{' '.join(argv[1:3])}: answer larger than {MAX_OUTPUT_BYTES} B")
    try:
        return json.loads(out)
    except ValueError:
        raise DiscoveryError(f"{' '.join(argv[1:3])}: the answer is not JSON") from None


def endpoint_name_from_tags(answer: Any) -> str:
    tags = answer.get("Tags") if isinstance(answer, dict) else None
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and tag.get("Key") == GLUE_TAG:
            value = tag.get("Value")
            if isinstance(value, str) and _ENDPOINT_NAME.match(value):
                return value
            raise DiscoveryError(f"the {GLUE_TAG} tag holds no endpoint name: {value!r:.80}")
    raise DiscoveryError(f"the notebook instance has no {GLUE_TAG} tag")


def size_from_endpoint(answer: Any) -> tuple[str, int]:
    endpoint = answer.get("DevEndpoint") if isinstance(answer, dict) else None
    if not isinstance(endpoint, dict):
        raise DiscoveryError("get-dev-endpoint answered without a DevEndpoint")
    worker_type = endpoint.get("WorkerType") or "Standard"  # Glue 0.9 endpoints: DPUs only
    count = endpoint.get("NumberOfWorkers") or endpoint.get("NumberOfNodes")
    if worker_type not in WORKER_TYPES:
        raise DiscoveryError(f"unknown WorkerType {worker_type!r:.40}")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_WORKERS:
        raise DiscoveryError(f"no usable NumberOfWorkers/NumberOfNodes: {count!r:.40}")
    return worker_type, count


async def discover(
    *,
    endpoint_name: str = "",
    aws_cli: str = AWS_CLI,
    metadata_path: str = "",
    timeout: float = AWS_CLI_TIMEOUT,
) -> DevEndpointSize:
    """The size of ``endpoint_name``, or of the endpoint named by the instance's tag."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or ""
    arn = ""
    if not endpoint_name or not region:
        try:
            arn = read_instance_arn(metadata_path)
        except DiscoveryError:
            if not endpoint_name:
                raise
    region_args = ["--region", region or region_of(arn)] if (region or arn) else []
    source = "setting"
    if not endpoint_name:
        tags = await run_cli(
            [aws_cli, "sagemaker", "list-tags", "--resource-arn", arn, *JSON, *region_args],
            timeout,
        )
        endpoint_name, source = endpoint_name_from_tags(tags), "tag"
    elif not _ENDPOINT_NAME.match(endpoint_name):
        raise DiscoveryError(f"not an endpoint name: {endpoint_name!r:.80}")
    glue = [aws_cli, "glue", "get-dev-endpoint", "--endpoint-name", endpoint_name]
    answer = await run_cli([*glue, *JSON, *region_args], timeout)
    worker_type, count = size_from_endpoint(answer)
    return DevEndpointSize(endpoint_name, worker_type, count, source)


def primary_of_cluster(answer: Any, cluster_id: str) -> EmrCluster:
    """The primary node of an ``aws emr describe-cluster`` answer, refused unless it is sane."""
    cluster = answer.get("Cluster") if isinstance(answer, dict) else None
    if not isinstance(cluster, dict):
        raise DiscoveryError("describe-cluster answered without a Cluster")
    if cluster.get("Id") != cluster_id:
        raise DiscoveryError(
            f"describe-cluster answered for another cluster: {cluster.get('Id')!r:.40}"
        )
    status = cluster.get("Status")
    state = status.get("State") if isinstance(status, dict) else None
    if not isinstance(state, str) or state not in EMR_ACTIVE_STATES:
        raise DiscoveryError(f"cluster {cluster_id} is not running: state {state!r:.40}")
    primary = cluster.get("MasterPublicDnsName")
    if not primary:
        raise DiscoveryError(f"cluster {cluster_id} ({state}) has no primary node address yet")
    if not isinstance(primary, str) or not _HOST.match(primary):
        raise DiscoveryError(f"not a host name in MasterPublicDnsName: {primary!r:.80}")
    return EmrCluster(cluster_id, state, primary.lower())


async def describe_emr_cluster(
    cluster_id: str,
    *,
    aws_cli: str = AWS_CLI,
    metadata_path: str = "",
    timeout: float = AWS_CLI_TIMEOUT,
) -> EmrCluster:
    """The primary node of EMR cluster ``cluster_id`` (``aws emr describe-cluster``)."""
    if not _CLUSTER_ID.match(cluster_id):
        raise DiscoveryError(f"not an EMR cluster id (j-...): {cluster_id!r:.80}")
    argv = [aws_cli, "emr", "describe-cluster", "--cluster-id", cluster_id]
    answer = await run_cli([*argv, *JSON, *_region_args(metadata_path)], timeout)
    return primary_of_cluster(answer, cluster_id)


def rm_url_on_host_of(livy_url: str) -> str:
    """http://<the Livy URL's host>:8088, where EMR (and Glue) run the ResourceManager."""
    rm = on_host_of(livy_url, RM_PORT)
    if rm is None:
        raise DiscoveryError(f"no host in the Livy URL {livy_url!r:.120}")
    return rm


async def probe_yarn_rm(rm_url: str, get_json: Callable[[str], Awaitable[Any]]) -> YarnRm:
    """Whether ``rm_url`` answers ``/ws/v1/cluster/info`` as a started, active YARN RM.

    ``get_json`` is the poller's asynchronous fetcher (its timeouts and answer-size limit)."""
    url = f"{rm_url.rstrip('/')}/ws/v1/cluster/info"
    try:
        answer = await get_json(url)
    except FetchError as error:
        raise DiscoveryError(error.message) from None
    info = answer.get("clusterInfo") if isinstance(answer, dict) else None
    if not isinstance(info, dict) or not isinstance(info.get("resourceManagerVersion"), str):
        raise DiscoveryError(f"{url} does not answer as a YARN ResourceManager")
    if info.get("state") != "STARTED":
        raise DiscoveryError(f"the ResourceManager at {rm_url} is {info.get('state')!r:.40}")
    if info.get("haState", "ACTIVE") != "ACTIVE":
        raise DiscoveryError(f"the ResourceManager at {rm_url} is {info.get('haState')!r:.40}")
    return YarnRm(rm_url, info["resourceManagerVersion"][:80])
