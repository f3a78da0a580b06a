"""botocore service models cut down to the operations a build calls, and kept on disk: fast AWS clients.

Creating a botocore EC2 client costs about 110 ms, almost all of it spent before the first request: finding the
newest API version (a directory listing of every service botocore knows, twice), decompressing and parsing
``service-2.json`` (EC2 describes ~700 operations in 2.5 MB), building a method for each of them, reading the
endpoint rule set, and, once per session, ``endpoints.json`` (every service of every partition, 16 ms). A build
calls at most 38 operations (EC2, IAM, STS).

``ModelLoader`` is botocore's ``Loader`` with one difference: for those services it hands botocore a model that
holds only the operations in ``OPERATIONS`` and the shapes they reach (documentation dropped), together with the
endpoint rule set, from ``$XDG_CACHE_HOME/packer-py/botocore-<version>/<service>.json`` (``~/.cache`` by default),
and ``endpoints.json`` with only those services (``endpoints.json`` there).
The first build on a machine, or after botocore is upgraded, cuts the model from botocore's own data and writes the
file; a missing or unwritable cache only costs that time again. Requests, signatures, retries and parsing are
botocore's, from botocore's own model entries, so nothing a build sends changes.

An operation that is not in ``OPERATIONS`` is still served: ``AwsClient.call`` falls back to a client with the full
model (``tests/builders/amazon_ebs/test_models.py`` checks that every ``call("operation", ...)`` of the builder is
listed, so the fallback is for code added without updating the list).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger("packer_py.builders.amazon_ebs")

OPERATIONS: dict[str, frozenset[str]] = {
    "ec2": frozenset(
        {
            "authorize_security_group_ingress",
            "copy_image",
            "create_fleet",
            "create_image",
            "create_key_pair",
            "create_launch_template",
            "create_security_group",
            "create_tags",
            "delete_key_pair",
            "delete_launch_template",
            "delete_security_group",
            "delete_snapshot",
            "delete_volume",
            "deregister_image",
            "describe_images",
            "describe_instances",
            "describe_regions",
            "describe_security_groups",
            "describe_subnets",
            "describe_volumes",
            "describe_vpcs",
            "modify_image_attribute",
            "modify_instance_attribute",
            "modify_snapshot_attribute",
            "run_instances",
            "stop_instances",
            "terminate_instances",
        }
    ),
    "iam": frozenset(
        {
            "add_role_to_instance_profile",
            "create_instance_profile",
            "create_role",
            "delete_instance_profile",
            "delete_role",
            "delete_role_policy",
            "get_instance_profile",
            "get_role",
            "put_role_policy",
            "remove_role_from_instance_profile",
        }
    ),
    "sts": frozenset({"assume_role"}),
}
"""Per service, the operations (botocore's snake_case method names) whose models are kept."""

FORMAT = 1
"""Bumped when the cache file's layout changes."""


def cache_root(environ: Mapping[str, str]) -> Path | None:
    """Where cut models are kept: ``$XDG_CACHE_HOME/packer-py`` or ``~/.cache/packer-py`` (None: no home)."""
    base = environ.get("XDG_CACHE_HOME", "")
    if base:
        return Path(base) / "packer-py"
    home = environ.get("HOME", "")
    return Path(home) / ".cache" / "packer-py" if home else None


def _shape_names(shape: Mapping[str, Any]) -> Iterator[str]:
    """The shapes one shape refers to (structure members, list members, map keys and values)."""
    for member in shape.get("members", {}).values():
        yield member["shape"]
    for key in ("member", "key", "value"):
        if key in shape:
            yield shape[key]["shape"]


def _undocumented(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _undocumented(v) for k, v in value.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(value, list):
        return [_undocumented(v) for v in value]
    return value


def cut(model: Mapping[str, Any], operations: frozenset[str]) -> dict[str, Any]:
    """``model`` (a parsed ``service-2.json``) with only the operations whose method names are in ``operations``
    and the shapes they reach (inputs, outputs, errors, transitively)."""
    from botocore import xform_name  # type: ignore[import-untyped]

    kept = {name: op for name, op in model["operations"].items() if xform_name(name) in operations}
    shapes = model["shapes"]
    pending = []
    for op in kept.values():
        pending += [op[k]["shape"] for k in ("input", "output") if k in op]
        pending += [error["shape"] for error in op.get("errors", ())]
    reached: set[str] = set()
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        pending.extend(_shape_names(shapes[name]))
    out = {key: value for key, value in model.items() if key not in ("operations", "shapes", "documentation")}
    out["operations"] = kept
    out["shapes"] = {name: shapes[name] for name in sorted(reached)}
    return _undocumented(out)  # type: ignore[no-any-return]


_loaders: dict[Path | None, Any] = {}
_loaders_lock = threading.Lock()


def model_loader(environ: Mapping[str, str]) -> Any:
    """A botocore ``Loader`` that serves cut models for the services in ``OPERATIONS`` (see the module docstring).

    One per cache directory and process: the builds of a run (``-parallel-builds``) share the parsed models, which
    botocore only reads."""
    import botocore

    root = cache_root(environ)
    directory = root / f"botocore-{botocore.__version__}" if root is not None else None
    with _loaders_lock:
        loader = _loaders.get(directory)
        if loader is None:
            loader = _loaders[directory] = _make_loader(directory)
        return loader


def reset_loaders() -> None:
    """Forget the loaders (and the models they parsed): the next session reads the cache files again."""
    with _loaders_lock:
        _loaders.clear()


def _make_loader(directory: Path | None) -> Any:
    from botocore.loaders import Loader  # type: ignore[import-untyped]

    class ModelLoader(Loader):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self._entries: dict[str, dict[str, Any]] = {}
            self._lock = threading.Lock()

        def _entry(self, service: str) -> dict[str, Any]:
            with self._lock:  # the builds of a run create their clients at the same moment
                entry = self._entries.get(service)
                if entry is None:
                    entry = _read(directory, service) or self._cut(service)
                    self._entries[service] = entry
                return entry

        def _cut(self, service: str) -> dict[str, Any]:
            api_version = self.determine_latest_version(service, "service-2")
            full = super().load_service_model(service, "service-2", api_version)
            entry = {
                "format": FORMAT,
                "operations": sorted(OPERATIONS[service]),
                "api_version": api_version,
                "service-2": cut(full, OPERATIONS[service]),
                "endpoint-rule-set-1": super().load_service_model(service, "endpoint-rule-set-1", api_version),
            }
            _write(directory, service, entry)
            return entry

        def load_data_with_path(self, name: str) -> tuple[Any, str]:
            if name != "endpoints":
                found: tuple[Any, str] = super().load_data_with_path(name)
                return found
            with self._lock:
                entry = self._entries.get(name)
                if entry is None:
                    entry = _read(directory, name)
                    if entry is None:
                        data, path = super().load_data_with_path(name)
                        entry = {
                            "format": FORMAT,
                            "operations": sorted(OPERATIONS),
                            "path": path,
                            "data": _services(data),
                        }
                        _write(directory, name, entry)
                    self._entries[name] = entry
            return entry["data"], entry["path"]

        def load_service_model(self, service_name: str, type_name: str, api_version: str | None = None) -> Any:
            if service_name in OPERATIONS and type_name in ("service-2", "endpoint-rule-set-1"):
                entry = self._entry(service_name)
                if api_version is None or api_version == entry["api_version"]:
                    return entry[type_name]
            return super().load_service_model(service_name, type_name, api_version)

    return ModelLoader()


def _services(endpoints: Mapping[str, Any]) -> dict[str, Any]:
    """``endpoints.json`` with only the services in ``OPERATIONS``, in every partition."""
    out = dict(endpoints)
    out["partitions"] = [
        {**p, "services": {k: v for k, v in p.get("services", {}).items() if k in OPERATIONS}}
        for p in endpoints.get("partitions", ())
    ]
    return out


def _read(directory: Path | None, name: str) -> dict[str, Any] | None:
    if directory is None:
        return None
    try:
        entry: dict[str, Any] = json.loads((directory / f"{name}.json").read_bytes())
    except (OSError, ValueError):
        return None
    wanted = sorted(OPERATIONS[name]) if name in OPERATIONS else sorted(OPERATIONS)
    if entry.get("format") != FORMAT or entry.get("operations") != wanted:
        return None
    return entry


def _write(directory: Path | None, service: str, entry: Mapping[str, Any]) -> None:
    """Write atomically (a concurrent build reads either no file or a whole one); failures are only logged."""
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{service}.json.{os.getpid()}"
        temporary.write_text(json.dumps(entry, separators=(",", ":")))
        temporary.replace(directory / f"{service}.json")
    except OSError as exc:
        log.info("not caching the %s model in %s: %s", service, directory, exc)
