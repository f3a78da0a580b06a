"""Acceptance of ``packer-py build`` for amazon-ebs, through the command line, against the harness: a real moto
server for AWS and the harness's "instance" sshd (``ec2-user`` logs in with the key pair the build creates through
EC2; ``sudo``, ``yum``, ``systemctl`` and the AWS CLI are stand-ins, so the seed template's commands succeed without
touching this machine).

The seed template ``templates/httpd.json`` is copied with only the endpoint (``custom_endpoint_ec2``, or
``AWS_ENDPOINT_URL`` in the environment), ``ssh_host``, ``ssh_port`` and a source AMI moto ships changed. After every
build, moto must hold nothing the build created except the AMIs (and their snapshots) of a successful build.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.harness.moto_server import MotoServer
from tests.harness.sshd import Sshd

REPO = Path(__file__).resolve().parents[2]
REGION = "eu-west-1"
CREDENTIALS = ["-var", "aws_access_key=testing", "-var", "aws_secret_key=testing"]


@pytest.fixture(scope="module")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of cut botocore models for the module's builds (see ``builders/amazon_ebs/models.py``)."""
    return tmp_path_factory.mktemp("xdg-cache")


def seed(moto: MotoServer, sshd: Sshd, *, endpoint_in_template: bool = True, **changes: Any) -> dict[str, Any]:
    template: dict[str, Any] = json.loads((REPO / "templates" / "httpd.json").read_text())
    builder = template["builders"][0]
    builder.update(ssh_host=sshd.host, ssh_port=sshd.port, source_ami=moto.default_ami(REGION).image_id)
    if endpoint_in_template:
        builder["custom_endpoint_ec2"] = moto.endpoint
    builder.update(changes)
    return template


def build(
    template: dict[str, Any] | str,
    tmp_path: Path,
    cache: Path,
    *,
    env: dict[str, str] | None = None,
    name: str = "httpd.json",
    interrupt_after: str = "",
) -> subprocess.CompletedProcess[str]:
    """``packer-py build -color=false -var ... TEMPLATE`` in a new process (and process group)."""
    path = tmp_path / name
    path.write_text(template if isinstance(template, str) else json.dumps(template, indent=2))
    full_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(cache),
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "AWS_EC2_METADATA_DISABLED": "true",
        **(env or {}),
    }
    argv = [sys.executable, "-m", "packer_py", "build", "-color=false", *CREDENTIALS, path.name]
    process = subprocess.Popen(
        argv,
        cwd=tmp_path,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a Ctrl-C goes to the group, as a terminal sends it
    )
    killer = threading.Timer(120, lambda: os.killpg(process.pid, signal.SIGKILL))
    killer.start()
    lines: list[str] = []
    assert process.stdout is not None
    try:
        for line in process.stdout:
            lines.append(line)
            if interrupt_after and interrupt_after in line:
                interrupt_after = ""
                time.sleep(0.5)  # the remote command is running
                os.killpg(process.pid, signal.SIGINT)
        code = process.wait()
    finally:
        killer.cancel()
    return subprocess.CompletedProcess(argv, code, "".join(lines), "")


def created_ami(output: str, region: str = REGION) -> str:
    found = re.findall(rf"^{region}: (ami-[0-9a-f]+)$", output, re.M)
    assert len(found) == 1, output
    return found[0]


def image(moto: MotoServer, ami: str, region: str = REGION) -> dict[str, Any]:
    images = moto.client("ec2", region).describe_images(ImageIds=[ami])["Images"]
    assert len(images) == 1
    return dict(images[0])


def tags(item: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags", [])}


def assert_only_images_left(moto: MotoServer, amis: dict[str, str]) -> None:
    """The build's AMIs (by region) and their snapshots, and nothing else: no instance, key pair, security group,
    IAM role, policy or instance profile."""
    left = moto.leftovers()
    assert {(r.region, r.id) for r in left.of_kind("image")} == {(region, ami) for region, ami in amis.items()}
    others = [r for r in left if r.kind not in ("image", "snapshot")]
    assert not others, left
    snapshots = {r.region for r in left.of_kind("snapshot")}
    assert snapshots <= set(amis)


# -- the seed template -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["custom_endpoint_ec2", "AWS_ENDPOINT_URL"])
def test_seed_template_builds(
    moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path, endpoint: str
) -> None:
    in_template = endpoint == "custom_endpoint_ec2"
    env = {} if in_template else {"AWS_ENDPOINT_URL": moto.endpoint}
    shims_before = len(ec2_sshd.shimmed_commands())
    result = build(seed(moto, ec2_sshd, endpoint_in_template=in_template), tmp_path, model_cache, env=env)
    assert result.returncode == 0, result.stdout
    ami = created_ami(result.stdout)
    name = re.search(r"==> amazon-ebs: Creating AMI (httpd \d+) from instance i-", result.stdout)
    assert name is not None, result.stdout
    assert image(moto, ami)["Name"] == name.group(1)
    assert "    amazon-ebs: Building an AMI for Kubes & Clouds!" in result.stdout
    assert result.stdout.rstrip().endswith(f"--> amazon-ebs: AMIs were created:\n{REGION}: {ami}")
    ran = ec2_sshd.shimmed_commands()[shims_before:]
    assert "yum -y install httpd" in ran and "systemctl enable httpd" in ran
    assert_only_images_left(moto, {REGION: ami})


def test_seed_template_with_description_tags_regions_and_users(
    moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path
) -> None:
    regions = ["us-west-2", "eu-central-1"]
    template = seed(
        moto,
        ec2_sshd,
        ami_description="httpd from {{ .SourceAMIName }}",
        tags={"Name": "httpd", "Base_AMI": "{{ .SourceAMI }}"},
        ami_regions=regions,
        ami_users=["123456789012"],
    )
    source = template["builders"][0]["source_ami"]
    source_name = image(moto, source)["Name"]
    result = build(template, tmp_path, model_cache)
    assert result.returncode == 0, result.stdout
    amis = {region: created_ami(result.stdout, region) for region in [REGION, *regions]}
    assert len(set(amis.values())) == 3
    described = {
        (call.region, call.param("ImageId")): call.param("Description.Value")
        for call in moto.api_log()
        if call.action == "ModifyImageAttribute" and call.param("Description.Value") is not None
    }
    for region, ami in amis.items():
        found = image(moto, ami, region)
        # moto 5 accepts a Description change and drops it: what it was asked is the check
        assert described.get((region, ami)) == f"httpd from {source_name}", (region, described)
        assert tags(found) == {"Name": "httpd", "Base_AMI": source}, region
        permissions = moto.client("ec2", region).describe_image_attribute(ImageId=ami, Attribute="launchPermission")
        assert permissions["LaunchPermissions"] == [{"UserId": "123456789012"}], region
    assert_only_images_left(moto, amis)


def test_hcl2_amazon_ebs_template_builds(moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path) -> None:
    """The same build as an HCL2 configuration: ``${build.*}`` in a provisioner is decoded with the build's real data
    (the instance id, the SSH host), ``{{ .SourceAMIName }}`` in a tag is still Packer's Go template."""
    source = moto.default_ami(REGION)
    hcl = f"""
variable "aws_access_key" {{
  type = string
}}
variable "aws_secret_key" {{
  type = string
}}
source "amazon-ebs" "httpd" {{
  access_key          = var.aws_access_key
  secret_key          = var.aws_secret_key
  region              = "{REGION}"
  custom_endpoint_ec2 = "{moto.endpoint}"
  source_ami          = "{source.image_id}"
  instance_type       = "t2.micro"
  ssh_username        = "ec2-user"
  ssh_host            = "{ec2_sshd.host}"
  ssh_port            = {ec2_sshd.port}
  ami_name            = "httpd-hcl {{{{timestamp}}}}"
  tags = {{
    Base = "{{{{ .SourceAMIName }}}}"
  }}
}}
build {{
  name    = "web"
  sources = ["source.amazon-ebs.httpd"]
  provisioner "shell" {{
    inline = ["echo instance ${{build.ID}} at ${{build.Host}} from ${{build.SourceAMI}}", "sudo yum -y install httpd"]
  }}
}}
"""
    result = build(hcl, tmp_path, model_cache, name="httpd.pkr.hcl")
    assert result.returncode == 0, result.stdout
    instance = re.search(r"web\.amazon-ebs\.httpd: Instance ID: (i-[0-9a-f]+)", result.stdout)
    assert instance is not None, result.stdout
    assert f"    web.amazon-ebs.httpd: instance {instance.group(1)} at {ec2_sshd.host} from {source.image_id}" in (
        result.stdout
    )
    assert "Build 'web.amazon-ebs.httpd' finished after" in result.stdout
    ami = created_ami(result.stdout)
    found = image(moto, ami)
    assert re.fullmatch(r"httpd-hcl \d+", found["Name"])
    assert tags(found) == {"Base": source.name}
    assert_only_images_left(moto, {REGION: ami})


# -- failures: exit 1, a clear message, nothing left -------------------------------------------------------------------


def assert_failed_cleanly(result: subprocess.CompletedProcess[str], moto: MotoServer, message: str) -> None:
    assert result.returncode == 1, result.stdout
    assert message in result.stdout, result.stdout
    assert not moto.leftovers(), moto.leftovers()


def test_a_provisioner_exiting_1(moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path) -> None:
    template = seed(moto, ec2_sshd)
    template["provisioners"].insert(1, {"type": "shell", "inline": ["echo giving up >&2", "exit 1"]})
    shims_before = len(ec2_sshd.shimmed_commands())
    result = build(template, tmp_path, model_cache)
    assert_failed_cleanly(
        result, moto, "--> amazon-ebs: Script exited with non-zero exit status: 1.Allowed exit codes are: [0]"
    )
    assert "==> amazon-ebs: giving up" in result.stdout
    assert "Terminating the source AWS instance..." in result.stdout
    assert "yum -y install httpd" not in ec2_sshd.shimmed_commands()[shims_before:]  # later provisioners never ran


def test_an_ssh_server_that_never_answers(
    moto: MotoServer, ec2_sshd: Sshd, silent_port: Any, tmp_path: Path, model_cache: Path
) -> None:
    template = seed(moto, ec2_sshd, ssh_port=silent_port.port, ssh_timeout="5s")
    started = time.monotonic()
    result = build(template, tmp_path, model_cache)
    took = time.monotonic() - started
    assert_failed_cleanly(result, moto, "--> amazon-ebs: Timeout waiting for SSH.")
    assert "==> amazon-ebs: Timeout waiting for SSH." in result.stdout
    assert 5 <= took < 30
    assert silent_port.accepted >= 1


def test_an_ami_name_already_taken(moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path) -> None:
    taken = moto.register_ami("httpd taken", region=REGION)
    result = build(seed(moto, ec2_sshd, ami_name="httpd taken"), tmp_path, model_cache)
    assert_failed_cleanly(
        result, moto, f"--> amazon-ebs: Error: AMI Name: 'httpd taken' is used by an existing AMI: {taken.image_id}"
    )
    assert "Creating temporary keypair" not in result.stdout


def test_a_policy_document_iam_cannot_parse(
    moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path
) -> None:
    """IAM answers ``MalformedPolicyDocument: Syntax errors in policy.`` (what it says for a document that does not
    parse) after the role exists: the role, instance profile, security group and key pair are deleted again."""
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allowed", "Action": ["s3:Get*"], "Resource": "*"}]}
    result = build(seed(moto, ec2_sshd, temporary_iam_instance_profile_policy_document=policy), tmp_path, model_cache)
    assert_failed_cleanly(result, moto, "--> amazon-ebs: MalformedPolicyDocument: Syntax errors in policy.")
    assert "Deleting temporary role..." in result.stdout


def test_a_policy_document_that_is_not_json(
    moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path
) -> None:
    """A document given as text that is not a JSON object fails before any AWS call, as Packer's config decoding
    does."""
    template = seed(moto, ec2_sshd, temporary_iam_instance_profile_policy_document="{not json")
    result = build(template, tmp_path, model_cache)
    assert_failed_cleanly(result, moto, "temporary_iam_instance_profile_policy_document")
    assert moto.api_calls() == []


def test_ctrl_c_during_provisioning(moto: MotoServer, ec2_sshd: Sshd, tmp_path: Path, model_cache: Path) -> None:
    template = seed(moto, ec2_sshd)
    template["provisioners"].insert(1, {"type": "shell", "inline": ["echo started", "sleep 30"]})
    started = time.monotonic()
    result = build(template, tmp_path, model_cache, interrupt_after="amazon-ebs: started")
    assert time.monotonic() - started < 25
    assert_failed_cleanly(result, moto, "Cleanly cancelled builds after being interrupted.")
    assert "Cancelling build after receiving interrupt" in result.stdout
    assert "Creating AMI" not in result.stdout
