"""Equivalence proved by real Packer 1.6.6: it builds the JSON template and its upgraded HCL2 against the test
harness (a moto server as EC2, a real sshd as the instance), and both builds leave the same AMIs, tags and files.

``data/real_packer/all_functions.json`` uses every Go-template function the upgrade translates, in builder fields
(``ami_name``, ``ami_description``), tags, provisioner ``inline`` and ``environment_vars``, with variables that refer
to other variables and a second, named builder (``build_name`` differs per build). The two builds run one after the
other, so values that depend on the moment or are random (the run's timestamp, UUIDs, instance and AMI ids) are
compared by shape; everything else must be identical. Within each build, every rendering of the run's instant must
agree (the AMI name, the ``Created`` tag and the provisioner's ``STAMP`` are one timestamp).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from packer_py.translate.hcl2_upgrade import UpgradeOptions, upgrade_file
from tests.harness.moto_server import MotoServer
from tests.harness.sshd import Sshd, login_user

TEMPLATE = Path(__file__).resolve().parent / "data" / "real_packer" / "all_functions.json"
PACKER = shutil.which("packer") or "/usr/bin/packer"

pytestmark = pytest.mark.skipif(not Path(PACKER).exists(), reason="Packer 1.6.6 is not installed")

SHAPES = [  # ids first: a UUID may start with eight digits, an instance id hold ten
    (re.compile(r"\bi-[0-9a-f]+\b"), "<INSTANCE>"),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "<UUID>"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\b"), "<RFC3339>"),
    (re.compile(r"\b1\d{9}\b"), "<EPOCH>"),
    (re.compile(r"\b\d{8}-\d{4}\b"), "<YYYYMMDD-hhmm>"),
    (re.compile(r"\b\d{4}/\d\d/\d\d \d\d\b"), "<YYYY/MM/DD hh>"),
    (re.compile(r"\b[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{4}\b"), "<Mon Jan _2 2006>"),
    (re.compile(r"\b\d{8}\b"), "<YYYYMMDD>"),
]


def shape(text: str) -> str:
    for pattern, name in SHAPES:
        text = pattern.sub(name, text)
    return text


def build(
    template: Path, moto: MotoServer, sshd: Sshd, out_dir: Path, work: Path
) -> tuple[dict[str, dict[str, object]], dict[str, str], str]:
    """Run ``packer build``; return each AMI by name (description, tags), the files left in ``out_dir``, the log."""
    out_dir.mkdir()
    args = {
        "endpoint": moto.endpoint,
        "source_ami": moto.default_ami().image_id,
        "ssh_port": str(sshd.port),
        "ssh_user": login_user(),
        "out_dir": str(out_dir),
    }
    env = {
        "PATH": os.path.dirname(PACKER) + ":/usr/bin:/bin",
        "HOME": str(work),
        "CHECKPOINT_DISABLE": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "TZ": "UTC",
    }
    var_args = [a for k, v in args.items() for a in ("-var", f"{k}={v}")]
    proc = subprocess.run(
        [PACKER, "build", "-color=false", *var_args, template.name],
        cwd=template.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    images = moto.client("ec2").describe_images(Owners=["self"])["Images"]
    amis = {
        image["Name"]: {
            "description": image.get("Description", ""),
            "tags": {t["Key"]: t["Value"] for t in image.get("Tags", [])},
        }
        for image in images
    }
    files = {p.name: p.read_text() for p in sorted(out_dir.iterdir())}
    return amis, files, proc.stdout


@pytest.fixture(scope="module")
def builds(moto_server: MotoServer, sshd: Sshd, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("real-packer")
    json_path = work / TEMPLATE.name
    shutil.copy(TEMPLATE, json_path)
    done = upgrade_file(str(json_path), options=UpgradeOptions(required_plugins=False))
    assert not done.result.warnings, [str(w) for w in done.result.warnings]
    hcl_path = Path(done.output_path)
    moto_server.reset()
    from_json = build(json_path, moto_server, sshd, work / "out-json", work)
    moto_server.reset()
    from_hcl = build(hcl_path, moto_server, sshd, work / "out-hcl", work)
    return from_json, from_hcl, work


def test_both_builds_make_two_amis_with_the_same_names(builds) -> None:  # type: ignore[no-untyped-def]
    (json_amis, _, _), (hcl_amis, _, _), _ = builds
    assert len(json_amis) == len(hcl_amis) == 2
    assert sorted(map(shape, json_amis)) == sorted(map(shape, hcl_amis))
    assert sorted(map(shape, json_amis)) == ["Demo- App-v1 <EPOCH> <YYYYMMDD-hhmm>", "second-v1-<EPOCH>"]


def test_descriptions_and_tags_are_the_same(builds) -> None:  # type: ignore[no-untyped-def]
    (json_amis, _, _), (hcl_amis, _, _), work = builds

    def by_shape(amis: dict[str, dict[str, object]]) -> dict[str, object]:
        return {shape(name): json.loads(shape(json.dumps(ami, sort_keys=True))) for name, ami in amis.items()}

    assert by_shape(hcl_amis) == by_shape(json_amis)
    tags = next(a["tags"] for n, a in hcl_amis.items() if n.startswith("Demo"))
    assert isinstance(tags, dict)
    # spot checks of values that must be exact
    assert tags["Name"] == "Demo: App-v1" and tags["Loud"] == "V1" and tags["Split"] == "v1"
    assert tags["Replace"] == "Demo: App+v1" and tags["Replace2"] == "bAnAna" and tags["ReplaceAll"] == "a+b+c"
    assert tags["Clean"] == "a-b c-d" and tags["Build"] == "amazon-ebs amazon-ebs" and tags["Cond"] == "first"
    assert tags["Dir"] == str(work) and tags["Pwd"] == str(work) and tags["Home"] == str(work)
    assert tags["Literal"] == "${HOME} and %{x}" and tags["Version"] == "1.6.6"
    assert tags["Source"].startswith("amzn2-ami-hvm-")


@pytest.mark.parametrize("side", [0, 1], ids=["json", "hcl2"])
def test_one_instant_per_run(builds, side: int) -> None:  # type: ignore[no-untyped-def]
    amis, files, _ = builds[side]
    name = next(n for n in amis if n.startswith("Demo"))
    epoch = re.search(r"\b(1\d{9})\b", name).group(1)  # type: ignore[union-attr]
    tags = amis[name]["tags"]
    if side == 1:  # HCL2: one `local` evaluated once, so every use agrees exactly
        assert tags["Created"] == tags["Stamp"] == epoch  # type: ignore[index]
        assert f"STAMP={epoch}\n" in files["amazon-ebs-env.txt"]
        assert epoch in files["only.txt"]
        return
    # JSON under real Packer 1.6.6: each plugin process (builder, each provisioner) takes its own start instant, so
    # on a loaded machine they may be a second or two apart; they must still be the same run's instants.
    stamps = [int(tags["Created"]), int(tags["Stamp"])]  # type: ignore[index]
    stamps.append(int(re.search(r"STAMP=(\d+)", files["amazon-ebs-env.txt"]).group(1)))  # type: ignore[union-attr]
    stamps.append(int(re.search(r"\b(1\d{9})\b", files["only.txt"]).group(1)))  # type: ignore[union-attr]
    assert max(stamps) - min(stamps) <= 3 and abs(int(epoch) - stamps[0]) <= 3, stamps


def test_provisioners_leave_the_same_files(builds) -> None:  # type: ignore[no-untyped-def]
    (_, json_files, _), (_, hcl_files, _), work = builds
    assert (
        sorted(json_files)
        == sorted(hcl_files)
        == [
            "amazon-ebs-env.txt",
            "amazon-ebs-inline.txt",
            "only.txt",
            "second-env.txt",
            "second-inline.txt",
        ]
    )
    assert {k: shape(v) for k, v in hcl_files.items()} == {k: shape(v) for k, v in json_files.items()}
    env = hcl_files["second-env.txt"]
    assert "BUILD=second\n" in env and "KIND=amazon-ebs\n" in env and "LOWER=abc\n" in env
    assert "NAME=Demo: App-v1\n" in env and "TOKEN=t0ken\n" in env
    # the remote shell expanded ${HOME} and $((1+2)); %{x} stayed text
    remote_home = os.path.expanduser("~" + login_user())
    assert hcl_files["amazon-ebs-inline.txt"].splitlines()[1] == f"{remote_home} %{{x}} 3 {work}"
    assert shape(hcl_files["second-inline.txt"]).startswith("V1 Demo: App <INSTANCE> <UUID>")


def test_sensitive_values_are_masked_in_both_logs(builds) -> None:  # type: ignore[no-untyped-def]
    (_, _, json_log), (_, _, hcl_log), _ = builds
    assert "t0ken" not in json_log and "t0ken" not in hcl_log
