"""The builds recorded from Packer 1.6.6 (``record_packer.py``) and replayed by packer-py (``test_packer_parity.py``).

Each case is one amazon-ebs build against the harness's moto server and sshd: the builder's template keys, the
provisioners' inline commands, and what to set up first. Packer and packer-py get the same template; the recorder
writes Packer's output and moto's ordered API calls to ``goldens/<case>.json``.

Normalisation (``normalise``) replaces only what differs from run to run: resource ids, time-ordered UUIDs, the
sshd's port, durations and provisioning output (which belongs to the shell provisioner, not the builder).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}],
}


@dataclass(frozen=True)
class Case:
    name: str
    region: str
    builder: Callable[[Any, Any, str], dict[str, object]]
    """``(moto, endpoint holder, source ami id) -> builder keys`` (endpoint holder: the sshd or a silent port)."""
    inline: tuple[str, ...] = ("echo provisioned",)
    ssh: str = "sshd"
    """``sshd`` (a real login) or ``silent`` (a port that never answers)."""
    taken_ami_name: str = ""
    """Register an AMI of this name before the build."""
    cancel_while_provisioning: bool = False
    expect_success: bool = True
    setup: Callable[[Any, Any, str], dict[str, object]] | None = None
    """``(moto, sshd, region) -> extra builder keys``: resources the user brings (created as the harness, so
    that they are neither in the recorded calls nor counted as leftovers)."""
    parallel_regions: bool = False
    """AMIs in several regions: Packer visits them in Go's random map order, so calls are compared per region
    and UI lines as a multiset."""


def _base(moto: Any, ssh: Any, ami: str, region: str, **keys: object) -> dict[str, object]:
    builder: dict[str, object] = {
        "type": "amazon-ebs",
        "access_key": "testing",
        "secret_key": "testing",
        "region": region,
        "custom_endpoint_ec2": moto.endpoint,
        "source_ami": ami,
        "instance_type": "t2.micro",
        "ssh_username": getattr(ssh, "user", "ec2-user"),
        "ssh_host": ssh.host,
        "ssh_port": ssh.port,
        "ssh_timeout": "20s",
        "ami_name": "packer-py parity",
    }
    builder.update(keys)
    return builder


def _existing_resources(moto: Any, sshd: Any, region: str) -> dict[str, object]:
    """A security group, an instance profile and a key pair (the sshd's client key) that the user already has."""
    ec2, iam = moto.client("ec2", region), moto.client("iam", region)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    group = ec2.create_security_group(GroupName="users-group", Description="brought by the user", VpcId=vpc)
    profile = iam.create_instance_profile(InstanceProfileName="users-profile")["InstanceProfile"]
    public = _public_key(sshd.client_key_text)
    pair = ec2.import_key_pair(KeyName="users-key", PublicKeyMaterial=public.encode())
    moto.own(group["GroupId"], profile["InstanceProfileId"], pair["KeyPairId"], "users-key")
    return {
        "security_group_ids": [group["GroupId"]],
        "iam_instance_profile": "users-profile",
        "ssh_keypair_name": "users-key",
        "ssh_private_key_file": str(sshd.client_key_path),
    }


def _public_key(private_text: str) -> str:
    import io

    import paramiko

    key = paramiko.Ed25519Key.from_private_key(io.StringIO(private_text))
    return f"{key.get_name()} {key.get_base64()}"


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case(
            "httpd",
            "eu-west-1",
            lambda moto, ssh, ami: _base(
                moto,
                ssh,
                ami,
                "eu-west-1",
                ami_name="httpd parity",
                ami_description="httpd from {{ .SourceAMI }} ({{ .SourceAMIName }})",
                run_tags={"Purpose": "parity"},
                tags={"Base": "{{ .SourceAMIName }}", "Role": "httpd"},
                snapshot_tags={"Role": "httpd-snapshot"},
                temporary_iam_instance_profile_policy_document=POLICY,
            ),
            inline=("echo 'Building an AMI for Kubes & Clouds!'", "echo installing httpd"),
        ),
        Case(
            "provision_fails",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1"),
            inline=("echo about to fail", "exit 3"),
            expect_success=False,
        ),
        Case(
            "ssh_timeout",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1", ssh_timeout="5s"),
            ssh="silent",
            expect_success=False,
        ),
        Case(
            "ami_name_taken",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1", ami_name="already taken"),
            taken_ami_name="already taken",
            expect_success=False,
        ),
        Case(
            "bad_policy",
            "us-east-1",
            lambda moto, ssh, ami: _base(
                moto,
                ssh,
                ami,
                "us-east-1",
                temporary_iam_instance_profile_policy_document={
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allowed", "Action": ["s3:Get*"], "Resource": "*"}],
                },
            ),
            expect_success=False,
        ),
        Case(
            "force_deregister",
            "us-east-1",
            lambda moto, ssh, ami: _base(
                moto, ssh, ami, "us-east-1", ami_name="rebuilt ami", force_deregister=True, force_delete_snapshot=True
            ),
            taken_ami_name="rebuilt ami",
        ),
        Case(
            "encrypt_boot",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1", encrypt_boot=True),
        ),
        Case(
            "ami_regions",
            "us-east-1",
            lambda moto, ssh, ami: _base(
                moto,
                ssh,
                ami,
                "us-east-1",
                ami_regions=["us-west-2", "eu-central-1", "us-west-2"],
                ami_users=["123456789012"],
                ami_groups=["all"],
                snapshot_users=["123456789012"],
                tags={"Built": "{{ .BuildRegion }}"},
            ),
            parallel_regions=True,
        ),
        Case(
            "spot",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1", spot_price="0.05", run_volume_tags={"V": "1"}),
        ),
        Case(
            # moto's fleet instances have no spot request id: Packer then tags "no resource" and fails
            "spot_tags",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1", spot_price="auto", spot_tags={"Spot": "yes"}),
            expect_success=False,
        ),
        Case(
            "existing_resources",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1"),
            setup=_existing_resources,
        ),
        Case(
            "filters",
            "us-east-1",
            lambda moto, ssh, ami: {
                **_base(moto, ssh, ami, "us-east-1"),
                "source_ami": "",
                "source_ami_filter": {
                    "filters": {"name": "amzn2-ami-hvm-*-x86_64-gp2", "root-device-type": "ebs"},
                    "owners": ["amazon"],
                    "most_recent": True,
                },
                "vpc_filter": {"filters": {"isDefault": "true"}},
                "subnet_filter": {"filters": {"availability-zone": "us-east-1b"}},
                "security_group_filter": {"filters": {"group-name": "default"}},
                "associate_public_ip_address": True,
                "launch_block_device_mappings": [
                    {"device_name": "/dev/sdb", "volume_size": 2, "volume_type": "gp2", "delete_on_termination": True}
                ],
            },
        ),
        Case(
            "no_source_ami",
            "us-east-1",
            lambda moto, ssh, ami: {
                **_base(moto, ssh, ami, "us-east-1"),
                "source_ami": "",
                "source_ami_filter": {"filters": {"name": "nothing-like-this-*"}, "owners": ["self", "amazon"]},
            },
            expect_success=False,
        ),
        Case(
            "vpc_filter_none",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1", vpc_filter={"filters": {"tag:Name": "nope"}}),
            expect_success=False,
        ),
        Case(
            "cancel_provisioning",
            "us-east-1",
            lambda moto, ssh, ami: _base(moto, ssh, ami, "us-east-1"),
            inline=("sleep 30",),
            cancel_while_provisioning=True,
            expect_success=False,
        ),
    )
}

_IDS = [
    (re.compile(r"\bami-[0-9a-f]{8,17}\b"), "ami-ID"),
    (re.compile(r"\bi-[0-9a-f]{8,17}\b"), "i-ID"),
    (re.compile(r"\bsnap-[0-9a-f]{8,17}\b"), "snap-ID"),
    (re.compile(r"\bsg-[0-9a-f]{8,17}\b"), "sg-ID"),
    (re.compile(r"\bvol-[0-9a-f]{8,17}\b"), "vol-ID"),
    (re.compile(r"\bvpc-[0-9a-f]{8,17}\b"), "vpc-ID"),
    (re.compile(r"\bsubnet-[0-9a-f]{8,17}\b"), "subnet-ID"),
    (re.compile(r"\bpacker([_-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), r"packer\1UUID"),
    (re.compile(r"request id: [0-9A-Za-z-]+"), "request id: REQUEST"),
    (re.compile(r"^(==> amazon-ebs: Creating AMI )[0-9A-Za-z]{7}( from instance)"), r"\1RANDOM7\2"),
    (re.compile(r"to port \d+ from"), "to port PORT from"),
    (re.compile(r"(errored|finished|completed) after .*?(:|$)"), r"\1 after DURATION\2"),
]

BUILDER_PREFIXES = ("==> amazon-ebs: ", "    amazon-ebs: ")


def normalise(line: str) -> str:
    for pattern, replacement in _IDS:
        line = pattern.sub(replacement, line)
    return line


def builder_lines(output: str) -> list[str]:
    """The builder's own UI lines from Packer's output, normalised.

    Lines of the shell provisioner (``Provisioning with shell script: ...`` and the script's output, which Packer
    prints with the builder's prefix) are dropped: packer-py's provisioners live elsewhere.
    """
    lines: list[str] = []
    provisioning = False
    for raw in output.splitlines():
        if not raw.startswith(BUILDER_PREFIXES):
            continue
        text = raw[len("==> amazon-ebs: ") :]
        if raw.startswith("==> ") and text.startswith("Provisioning with shell script:"):
            provisioning = True
            continue
        if provisioning and raw.startswith("    amazon-ebs: "):
            continue
        if raw.startswith("==> "):
            provisioning = False
        lines.append(normalise(raw))
    return lines
