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
from dataclasses import dataclass, field
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
    extra: dict[str, object] = field(default_factory=dict)


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
    (re.compile(r"\bpacker([_-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), r"packer\1UUID"),
    (re.compile(r"request id: [0-9A-Za-z-]+"), "request id: REQUEST"),
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
