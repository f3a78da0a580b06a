"""The cut botocore models (``models.py``): the operations a build calls, cached on disk, and a full-model fallback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import botocore  # type: ignore[import-untyped]
import botocore.session  # type: ignore[import-untyped]
import pytest

from packer_py.builders.amazon_ebs import models
from packer_py.builders.amazon_ebs.access import AwsAccess
from packer_py.builders.amazon_ebs.config import EbsConfig
from tests.builders.amazon_ebs.support import decode, moto_config

PACKAGE = Path(models.__file__).parent
_CALL = re.compile(r"""\.call\(\s*"([a-z_]+)\"""")


def test_the_list_is_exactly_the_operations_the_builder_calls() -> None:
    called = {m for path in PACKAGE.glob("*.py") for m in _CALL.findall(path.read_text())}
    listed = set().union(*models.OPERATIONS.values())
    assert called == listed


def _client(environ: dict[str, str], service: str = "ec2") -> Any:
    """A client as a new build process would make it (no loader shared from an earlier test)."""
    models.reset_loaders()
    session = botocore.session.Session()
    session.register_component("data_loader", models.model_loader(environ))
    session.set_credentials("testing", "testing")
    return session.create_client(service, region_name="us-east-1", endpoint_url="http://127.0.0.1:9")


def test_cut_model_has_only_the_listed_operations_and_is_cached(tmp_path: Path) -> None:
    client = _client({"XDG_CACHE_HOME": str(tmp_path)})
    assert hasattr(client, "describe_images") and hasattr(client, "run_instances")
    assert not hasattr(client, "describe_key_pairs")
    cached = tmp_path / "packer-py" / f"botocore-{botocore.__version__}"
    assert sorted(p.name for p in cached.iterdir()) == ["ec2.json", "endpoints.json"]
    entry = json.loads((cached / "ec2.json").read_text())
    assert entry["operations"] == sorted(models.OPERATIONS["ec2"])
    assert "documentation" not in json.dumps(entry["service-2"]["operations"])
    endpoints = json.loads((cached / "endpoints.json").read_text())["data"]
    assert {s for p in endpoints["partitions"] for s in p["services"]} <= set(models.OPERATIONS)


def test_a_second_build_reads_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _client({"XDG_CACHE_HOME": str(tmp_path)})
    from botocore.loaders import Loader  # type: ignore[import-untyped]

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("botocore's own model files were read")

    monkeypatch.setattr(Loader, "determine_latest_version", refuse)
    client = _client({"XDG_CACHE_HOME": str(tmp_path)})
    assert hasattr(client, "create_image")


def test_a_stale_cache_is_rebuilt(tmp_path: Path) -> None:
    _client({"XDG_CACHE_HOME": str(tmp_path)})
    path = tmp_path / "packer-py" / f"botocore-{botocore.__version__}" / "ec2.json"
    entry = json.loads(path.read_text())
    entry["operations"] = ["describe_images"]
    path.write_text(json.dumps(entry))
    assert hasattr(_client({"XDG_CACHE_HOME": str(tmp_path)}), "run_instances")
    assert json.loads(path.read_text())["operations"] == sorted(models.OPERATIONS["ec2"])


def test_the_builds_of_a_run_share_one_loader(tmp_path: Path) -> None:
    models.reset_loaders()
    first = models.model_loader({"XDG_CACHE_HOME": str(tmp_path)})
    assert models.model_loader({"XDG_CACHE_HOME": str(tmp_path)}) is first
    assert models.model_loader({"XDG_CACHE_HOME": str(tmp_path / "other")}) is not first


def test_no_writable_cache_still_works(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert hasattr(_client({"XDG_CACHE_HOME": str(blocker)}), "describe_images")
    assert hasattr(_client({}), "describe_images")  # no home at all: nothing cached


def test_an_operation_outside_the_cut_model_falls_back_to_the_full_one(moto: Any, tmp_path: Path) -> None:
    config = EbsConfig.from_decoded(decode(moto_config(moto, "ami-12345678")))
    access = AwsAccess.open(config, {"XDG_CACHE_HOME": str(tmp_path)})
    ec2 = access.ec2()
    assert not hasattr(ec2.raw, "describe_key_pairs")
    assert ec2.call("describe_key_pairs")["KeyPairs"] == []
    assert ec2.call("describe_images", Owners=["self"])["Images"] == []
    assert ("ec2", "DescribeKeyPairs") in moto.api_calls()
