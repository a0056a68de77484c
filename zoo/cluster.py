"""Multi-worker training's cluster, read from TF_CONFIG before TensorFlow starts, so that a missing, malformed
or incomplete one gets one line (TensorFlow's own reading ends in a JSONDecodeError or ValueError traceback)."""

from __future__ import annotations

import json
from typing import NamedTuple

from .errors import ConvzooError

EXAMPLE = '{"cluster": {"worker": ["10.0.0.1:20000", "10.0.0.2:20000"]}, "task": {"type": "worker", "index": 0}}'
ACCEPTED = f"expected JSON such as {EXAMPLE} (the same cluster on every machine, each with its own task index)"


class ClusterError(ConvzooError):
    """TF_CONFIG that cannot start a multi-worker run."""


class Cluster(NamedTuple):
    addresses: tuple[str, ...]  # every task that trains: the chief (where the cluster names one) first
    task: str  # "chief" or "worker"
    task_index: int  # (not `index`, which would hide tuple.index)
    has_chief: bool

    @property
    def is_chief(self) -> bool:
        """The task that writes the run: the cluster's chief, or worker 0 where there is none."""
        return self.task == "chief" or (not self.has_chief and self.task_index == 0)

    @property
    def name(self) -> str:
        return f"{self.task} {self.task_index}"


def _address(value, where: str) -> str:
    host, colon, port = value.rpartition(":") if isinstance(value, str) else ("", "", "")
    if not (host and colon and port.isdigit() and 0 < int(port) < 65536):
        raise ClusterError(f"TF_CONFIG {where}: {json.dumps(value)} is not a host:port address; {ACCEPTED}")
    return value


def read_cluster(text: str | None) -> Cluster:
    """The cluster and this process's task from TF_CONFIG's ``text``."""
    if not text or not text.strip():
        raise ClusterError(f"--strategy multiworker needs TF_CONFIG, which names every worker and this one; {ACCEPTED}")
    try:
        config = json.loads(text)
    except json.JSONDecodeError as err:
        raise ClusterError(
            f"TF_CONFIG is not JSON ({err.msg} at line {err.lineno} column {err.colno}); {ACCEPTED}"
        ) from None
    if not isinstance(config, dict):
        raise ClusterError(f"TF_CONFIG is a JSON {type(config).__name__}, not an object; {ACCEPTED}")
    cluster, task = config.get("cluster"), config.get("task")
    if not isinstance(cluster, dict) or not isinstance(cluster.get("worker"), list) or not cluster["worker"]:
        raise ClusterError(f'TF_CONFIG has no "cluster" with a list of "worker" addresses; {ACCEPTED}')
    unknown = sorted(set(cluster) - {"worker", "chief"})
    if unknown:
        raise ClusterError(
            f"TF_CONFIG's cluster names {', '.join(map(repr, unknown))}: convzoo trains with "
            f'"worker" tasks (and at most one "chief") only; {ACCEPTED}'
        )
    chiefs = cluster.get("chief", [])
    if not isinstance(chiefs, list) or len(chiefs) > 1:
        raise ClusterError(f'TF_CONFIG\'s cluster "chief" must be a list of one address; {ACCEPTED}')
    workers = [_address(a, f"cluster worker {i}") for i, a in enumerate(cluster["worker"])]
    chiefs = [_address(a, "cluster chief") for a in chiefs]
    if not isinstance(task, dict) or "type" not in task or "index" not in task:
        raise ClusterError(
            f'TF_CONFIG has no "task" with a "type" and an "index" (which worker this machine is); {ACCEPTED}'
        )
    kind, index = task["type"], task["index"]
    tasks = {"worker": workers, "chief": chiefs}
    if kind not in tasks or not tasks[kind]:
        named = " or ".join(f'"{k}"' for k, v in tasks.items() if v)
        raise ClusterError(f"TF_CONFIG task type {json.dumps(kind)} is not one of the cluster's: {named}")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(tasks[kind]):
        raise ClusterError(
            f"TF_CONFIG task index {json.dumps(index)} is not one of the cluster's "
            f"{len(tasks[kind])} {kind} task(s): 0 to {len(tasks[kind]) - 1}"
        )
    return Cluster(tuple(chiefs + workers), kind, index, bool(chiefs))
