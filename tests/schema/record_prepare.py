#!/usr/bin/env python3
"""Record how Packer 1.6.6 prepares small templates: the goldens of tests/schema/test_prepare_golden.py.

    python tests/schema/record_prepare.py                  # every case
    python tests/schema/record_prepare.py shell-bad-script # some cases
    PACKER=/path/to/packer python tests/schema/record_prepare.py

Each case below becomes ``tests/schema/cases/<name>/`` holding ``template.json``, ``case.json`` (fixture files,
-var arguments, notes) and what ``packer validate`` printed (``validate.out``) with its exit status
(``validate.rc``). Packer runs on a scratch copy of the case, with the fixture files created there, under
``env -i`` with PATH holding only ``packer`` (so no ``ansible-playbook``), a fresh HOME and TMPDIR,
CHECKPOINT_DISABLE=1, TZ=UTC and LANG=C.UTF-8. The scratch path is replaced by ``<CASE>`` in the output.
Nothing here is edited by hand afterwards.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CASES_DIR = Path(__file__).resolve().parent / "cases"

AMAZON: dict[str, Any] = {
    "type": "amazon-ebs",
    "region": "us-east-1",
    "ami_name": "packer-test",
    "ssh_username": "ec2-user",
    "source_ami": "ami-0123456789abcdef0",
    "instance_type": "t2.micro",
}
NULL_NONE: dict[str, Any] = {"type": "null", "communicator": "none"}
NULL_SSH: dict[str, Any] = {"type": "null", "ssh_host": "127.0.0.1", "ssh_username": "u", "ssh_password": "p"}


def amazon(drop: tuple[str, ...] = (), **options: Any) -> dict[str, Any]:
    config = {k: v for k, v in AMAZON.items() if k not in drop}
    config.update(options)
    return config


def builds(*builders: dict[str, Any], **sections: Any) -> dict[str, Any]:
    template: dict[str, Any] = {"builders": [copy.deepcopy(b) for b in builders]}
    for key, value in sections.items():
        template[key.replace("_", "-") if key in ("post_processors", "error_cleanup_provisioner") else key] = value
    return template


def with_provisioners(*provisioners: dict[str, Any], builder: dict[str, Any] = NULL_NONE) -> dict[str, Any]:
    return builds(builder, provisioners=list(provisioners))


def with_post_processors(*post_processors: Any) -> dict[str, Any]:
    return builds(NULL_NONE, post_processors=list(post_processors))


CASES: list[dict[str, Any]] = [
    # --- amazon-ebs: semantic rules ----------------------------------------------------------------------------
    {"name": "amazon-valid", "template": builds(amazon())},
    {"name": "amazon-empty", "template": builds({"type": "amazon-ebs"})},
    {"name": "amazon-ami-name-short", "template": builds(amazon(ami_name="ab"))},
    {"name": "amazon-ami-name-long", "template": builds(amazon(ami_name="a" * 129))},
    {"name": "amazon-ami-name-characters", "template": builds(amazon(ami_name="bad*name{x}"))},
    {"name": "amazon-ssh-username-missing", "template": builds(amazon(drop=("ssh_username",)))},
    {
        "name": "amazon-source-ami-filter-no-owner",
        "template": builds(amazon(drop=("source_ami",), source_ami_filter={"filters": {"name": "ubuntu/*"}})),
    },
    {
        "name": "amazon-source-ami-filter-valid",
        "template": builds(
            amazon(
                drop=("source_ami",),
                source_ami_filter={"filters": {"name": "ubuntu/*"}, "owners": ["099720109477"], "most_recent": True},
            )
        ),
    },
    {
        "name": "amazon-source-ami-filter-singular",
        "template": builds(
            amazon(
                drop=("source_ami",),
                source_ami_filter={"filter": [{"key": "name", "value": "ubuntu/*"}], "owners": "self"},
            )
        ),
    },
    {"name": "amazon-instance-type-missing", "template": builds(amazon(drop=("instance_type",)))},
    {"name": "amazon-instance-type-and-spot-types", "template": builds(amazon(spot_instance_types=["t3.micro"]))},
    {"name": "amazon-share-default-kms", "template": builds(amazon(ami_users=["123456789012"], encrypt_boot=True))},
    {"name": "amazon-kms-without-encrypt-boot", "template": builds(amazon(kms_key_id="alias/my-key"))},
    {"name": "amazon-kms-invalid", "template": builds(amazon(kms_key_id="bad!", encrypt_boot=True))},
    {
        "name": "amazon-region-kms-not-in-ami-regions",
        "template": builds(amazon(encrypt_boot=True, region_kms_key_ids={"us-west-2": "alias/a"})),
    },
    {
        "name": "amazon-ami-region-not-in-region-kms",
        "template": builds(
            amazon(
                encrypt_boot=True, ami_regions=["us-west-2", "eu-west-1"], region_kms_key_ids={"us-west-2": "alias/a"}
            )
        ),
    },
    {
        "name": "amazon-share-region-default-kms",
        "template": builds(
            amazon(
                encrypt_boot=True,
                kms_key_id="alias/a",
                ami_users=["123456789012"],
                snapshot_users=["123456789012"],
                ami_regions=["us-west-2"],
                region_kms_key_ids={"us-west-2": ""},
            )
        ),
    },
    {
        "name": "amazon-snapshot-users-default-kms",
        "template": builds(amazon(encrypt_boot=True, snapshot_users=["123456789012"])),
    },
    {"name": "amazon-shutdown-behavior", "template": builds(amazon(shutdown_behavior="hibernate"))},
    {"name": "amazon-keypair-without-key", "template": builds(amazon(ssh_keypair_name="my-key"))},
    {
        "name": "amazon-keypair-winrm",
        "template": builds(amazon(communicator="winrm", winrm_username="Administrator", ssh_keypair_name="my-key")),
    },
    {
        "name": "amazon-user-data-both",
        "template": builds(amazon(user_data="x", user_data_file="user-data.sh")),
        "files": {"user-data.sh": "#!/bin/sh\n"},
    },
    {"name": "amazon-user-data-file-missing", "template": builds(amazon(user_data_file="nope.sh"))},
    {
        "name": "amazon-user-data-file-present",
        "template": builds(amazon(user_data_file="user-data.sh")),
        "files": {"user-data.sh": "#!/bin/sh\n"},
    },
    {
        "name": "amazon-security-group-both",
        "template": builds(amazon(security_group_id="sg-1", security_group_ids=["sg-2"])),
    },
    {
        "name": "amazon-cidr-invalid",
        "template": builds(amazon(temporary_security_group_source_cidrs=["10.0.0.0/8", "10.0.0.0", "300.1.1.1/8"])),
    },
    {
        "name": "amazon-t2-unlimited-non-t2",
        "template": builds(amazon(enable_t2_unlimited=True, instance_type="m5.large")),
    },
    {"name": "amazon-t2-unlimited-spot", "template": builds(amazon(enable_t2_unlimited=True, spot_price="auto"))},
    {"name": "amazon-tenancy", "template": builds(amazon(tenancy="shared"))},
    {"name": "amazon-block-duration", "template": builds(amazon(block_duration_minutes=90))},
    {"name": "amazon-spot-tags-without-spot", "template": builds(amazon(spot_tags={"a": "b"}))},
    {"name": "amazon-spot-ena", "template": builds(amazon(spot_price="auto", ena_support=True))},
    {
        "name": "amazon-spot-price-auto-product-warning",
        "template": builds(amazon(spot_price_auto_product="Linux/UNIX")),
    },
    {"name": "amazon-ssh-interface", "template": builds(amazon(ssh_interface="ipv6"))},
    {"name": "amazon-session-manager-no-profile", "template": builds(amazon(ssh_interface="session_manager"))},
    {"name": "amazon-access-key-without-secret", "template": builds(amazon(access_key="AKIAEXAMPLE"))},
    {
        "name": "amazon-vault-with-access-key",
        "template": builds(amazon(access_key="AKIAEXAMPLE", vault_aws_engine={"name": "myrole"})),
        "notes": "Packer reads Vault while preparing; nothing listens on the default Vault address here.",
    },
    {
        "name": "amazon-all-run-errors",
        "template": builds(
            amazon(
                drop=("instance_type", "source_ami"),
                ssh_interface="bogus",
                ssh_keypair_name="k",
                block_duration_minutes=61,
                user_data="a",
                user_data_file="b",
                shutdown_behavior="x",
                tenancy="y",
            )
        ),
    },
    # --- amazon-ebs: block devices ----------------------------------------------------------------------------
    {
        "name": "amazon-block-device-no-name",
        "template": builds(amazon(launch_block_device_mappings=[{"volume_size": 8}, {"device_name": "/dev/sdb"}])),
    },
    {
        "name": "amazon-block-device-kms-unencrypted",
        "template": builds(
            amazon(ami_block_device_mappings=[{"device_name": "/dev/sdb", "kms_key_id": "alias/a", "encrypted": False}])
        ),
    },
    {
        "name": "amazon-block-device-iops-ratio",
        "template": builds(
            amazon(
                launch_block_device_mappings=[
                    {"device_name": "/dev/sdb", "volume_type": "io1", "volume_size": 10, "iops": 1000}
                ]
            )
        ),
    },
    {
        "name": "amazon-block-device-iops-range",
        "template": builds(
            amazon(
                launch_block_device_mappings=[
                    {"device_name": "/dev/sdb", "volume_type": "io2", "volume_size": 10, "iops": 50}
                ]
            )
        ),
    },
    {
        "name": "amazon-block-device-gp3-defaults",
        "template": builds(amazon(launch_block_device_mappings=[{"device_name": "/dev/xvda", "volume_type": "gp3"}])),
    },
    {
        "name": "amazon-block-device-gp3-iops",
        "template": builds(
            amazon(launch_block_device_mappings=[{"device_name": "/dev/xvda", "volume_type": "gp3", "throughput": 125}])
        ),
    },
    {
        "name": "amazon-block-device-gp3-valid",
        "template": builds(
            amazon(
                launch_block_device_mappings=[
                    {
                        "device_name": "/dev/xvda",
                        "volume_type": "gp3",
                        "throughput": 125,
                        "iops": 3000,
                        "volume_size": 20,
                    }
                ]
            )
        ),
    },
    {
        "name": "amazon-block-device-throughput-not-gp3",
        "template": builds(
            amazon(launch_block_device_mappings=[{"device_name": "/dev/xvda", "volume_type": "gp2", "throughput": 200}])
        ),
    },
    # --- amazon-ebs: communicator -------------------------------------------------------------------------------
    {"name": "amazon-ssh-private-key-missing", "template": builds(amazon(ssh_private_key_file="missing.pem"))},
    {
        "name": "amazon-ssh-private-key-not-a-key",
        "template": builds(amazon(ssh_private_key_file="not-a-key.pem")),
        "files": {"not-a-key.pem": "this is not a key\n"},
    },
    {"name": "amazon-ssh-bastion-no-auth", "template": builds(amazon(ssh_bastion_host="bastion.example.com"))},
    {"name": "amazon-ssh-file-transfer-method", "template": builds(amazon(ssh_file_transfer_method="rsync"))},
    {
        "name": "amazon-ssh-bastion-and-proxy",
        "template": builds(amazon(ssh_bastion_host="b", ssh_bastion_password="p", ssh_proxy_host="proxy")),
    },
    {
        "name": "amazon-ssh-tunnels",
        "template": builds(amazon(ssh_local_tunnels=["8080:localhost:80", "bad"], ssh_remote_tunnels=["x:host:22"])),
    },
    {
        "name": "amazon-ssh-private-key-encrypted",
        "template": builds(amazon(ssh_private_key_file="enc.pem")),
        "files": {
            "enc.pem": "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"  # noqa: E501
        },
    },
    {
        "name": "amazon-ssh-private-key-unsupported-type",
        "template": builds(amazon(ssh_private_key_file="foo.pem")),
        "files": {"foo.pem": "-----BEGIN FOO PRIVATE KEY-----\nAAAA\n-----END FOO PRIVATE KEY-----\n"},
    },
    {
        "name": "null-ssh-private-key-unknown-user",
        "template": builds(
            {"type": "null", "ssh_host": "h", "ssh_username": "u", "ssh_private_key_file": "~nosuchuser/id_rsa"}
        ),
    },
    {"name": "amazon-communicator-none", "template": builds(amazon(drop=("ssh_username",), communicator="none"))},
    {
        "name": "amazon-policy-document",
        "template": builds(
            amazon(
                temporary_iam_instance_profile_policy_document={
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": ["logs:*"], "Resource": "*"}],
                }
            )
        ),
    },
    {
        "name": "null-duration-edge-errors",
        "template": builds(
            {
                **NULL_NONE,
                "ssh_timeout": "1.5.5s",
                "ssh_read_write_timeout": "5\u00e9",
                "pause_before_connecting": "9999999999h",
                "ssh_keep_alive_interval": "2h45m30.5s",
            }
        ),
    },
    {
        "name": "null-number-formats",
        "template": builds(
            {**NULL_SSH, "ssh_port": 22.9, "ssh_password": 1e21, "ssh_username": 0.00001, "ssh_host": -0.0}
        ),
    },
    {
        "name": "null-values-in-type-errors",
        "template": builds(
            {
                **NULL_NONE,
                "ssh_handshake_attempts": [1e21, 0.00001, 22.5, 3, True, None, "x", {"k": 1, "a": [2]}],
                "ssh_port": {"b": 100000000, "a": -0.0},
            }
        ),
    },
    {"name": "amazon-communicator-invalid", "template": builds(amazon(communicator="telnet"))},
    {"name": "amazon-winrm-no-username", "template": builds(amazon(communicator="winrm"))},
    # --- amazon-ebs: decoding ----------------------------------------------------------------------------------
    {
        "name": "amazon-metadata-options-unknown",
        "template": builds(amazon(metadata_options={"http_tokens": "required"})),
    },
    {"name": "amazon-imds-support-unknown", "template": builds(amazon(imds_support="v2.0", metadata_options={}))},
    {"name": "amazon-unknown-key", "template": builds(amazon(foo="bar"))},
    {"name": "amazon-unknown-key-quoting", "template": builds(amazon(**{'we"ird\tkey': 1, "ключ": 2}))},
    {
        "name": "amazon-deprecated-keys",
        "template": builds(amazon(clean_ami_name=True, shutdown_behaviour="stop", zzz=1)),
    },
    {
        "name": "amazon-type-errors",
        "template": builds(
            amazon(
                ami_regions=3,
                tags=["a"],
                encrypt_boot="yes",
                source_ami_filter="x",
                launch_block_device_mappings=[{"device_name": "/dev/sdb", "volume_size": "abc", "iops": [1]}],
                run_tags={"Name": ["x"]},
                ssh_port=True,
                max_retries=1.9,
            )
        ),
    },
    {
        "name": "amazon-weak-types",
        "template": builds(
            amazon(
                ssh_port="2222",
                ami_regions="us-west-2,eu-west-1",
                ena_support="true",
                encrypt_boot="",
                ssh_pty=1,
                ami_description=5,
                launch_block_device_mappings={"device_name": "/dev/sdb", "volume_size": "0x10"},
                tags=[{"a": "b"}, {"c": 1}],
                ssh_timeout=300,
                ami_groups="",
            )
        ),
    },
    {
        "name": "amazon-nested-unknown",
        "template": builds(
            amazon(
                source_ami_filter={"owners": ["self"], "foo": 1},
                launch_block_device_mappings=[{"device_name": "/dev/sdb", "bar": 2}],
                temporary_iam_instance_profile_policy_document={"Statement": [{"Effect": "Allow", "Sid": "x"}]},
            )
        ),
    },
    {
        "name": "amazon-duration-errors",
        "template": builds(
            amazon(windows_password_timeout="5", ssh_timeout="1x", pause_before_ssm="abc", ssh_read_write_timeout="-")
        ),
    },
    {
        "name": "amazon-case-insensitive-keys",
        "template": builds(amazon(drop=("ami_name",), AMI_NAME="packer-upper", Ssh_Port="22")),
    },
    {"name": "amazon-exact-key-wins", "template": builds(amazon(AMI_NAME="other"))},
    {
        "name": "amazon-tag-blocks",
        "template": builds(amazon(tag=[{"key": "a", "value": "b"}], run_tag=[{"Key": "c", "Value": "d"}])),
    },
    {"name": "amazon-null-value", "template": builds(amazon(ami_name=None))},
    {"name": "amazon-packer-prefixed-key", "template": builds(amazon(packer_whatever=1))},
    # --- amazon-ebs: interpolation -----------------------------------------------------------------------------
    {
        "name": "amazon-clean-resource-name",
        "template": builds(amazon(ami_name="packer {{timestamp | clean_resource_name}}")),
    },
    {"name": "amazon-env-in-builder", "template": builds(amazon(ami_name="{{env `HOME`}}"))},
    {"name": "amazon-undefined-function", "template": builds(amazon(ami_name="x-{{ nope }}"))},
    {
        "name": "amazon-excluded-keys-keep-templates",
        "template": builds(amazon(tags={"Base": "{{ .SourceAMIName }}"}, ami_description="{{ .SourceAMI }}")),
    },
    {
        "name": "amazon-excluded-key-still-parsed",
        "template": builds(amazon(tags={"Base": "{{ nope .SourceAMIName }}"})),
    },
    {"name": "amazon-build-data-not-in-builder", "template": builds(amazon(ami_name="x{{ .SourceAMI }}"))},
    {
        "name": "amazon-user-variable",
        "template": {**builds(amazon(ami_name="{{user `name`}}")), "variables": {"name": "from-variable"}},
    },
    {
        "name": "amazon-user-variable-var-arg",
        "template": {**builds(amazon(ami_name="{{user `name`}}")), "variables": {"name": "x"}},
        "var_args": ["-var", "name=bad name!"],
    },
    # --- null ---------------------------------------------------------------------------------------------------
    {"name": "null-none", "template": builds(NULL_NONE)},
    {"name": "null-ssh-valid", "template": builds(NULL_SSH)},
    {"name": "null-ssh-missing-everything", "template": builds({"type": "null"})},
    {"name": "null-ssh-several-auth", "template": builds({**NULL_SSH, "ssh_agent_auth": True})},
    {"name": "null-winrm", "template": builds({"type": "null", "communicator": "winrm", "winrm_host": "h"})},
    {
        "name": "null-type-errors",
        "template": builds(
            {
                **NULL_SSH,
                "ssh_port": "abc",
                "ssh_timeout": "5x",
                "ssh_pty": "yes",
                "ssh_handshake_attempts": [1],
                "ssh_ciphers": 3,
            }
        ),
    },
    {
        "name": "null-unknown-and-deprecated",
        "template": builds(
            {
                **NULL_NONE,
                "Ssh_Host": "x",
                "ssh_host": "y",
                "packer_foo": 1,
                "ssh_key_path": "x",
                "iso_md5": "y",
                "zzz": 1,
            }
        ),
    },
    {
        "name": "null-two-builds",
        "template": builds({"type": "null", "name": "b", "ssh_host": "h"}, {**NULL_NONE, "name": "a", "x": 1}),
    },
    # --- shell --------------------------------------------------------------------------------------------------
    {"name": "shell-nothing", "template": with_provisioners({"type": "shell"})},
    {"name": "shell-empty-inline", "template": with_provisioners({"type": "shell", "inline": []})},
    {"name": "shell-inline-string", "template": with_provisioners({"type": "shell", "inline": "echo a,echo b"})},
    {
        "name": "shell-script-and-scripts",
        "template": with_provisioners({"type": "shell", "script": "a.sh", "scripts": ["a.sh"]}),
        "files": {"a.sh": "echo a\n"},
    },
    {
        "name": "shell-inline-and-script",
        "template": with_provisioners({"type": "shell", "script": "a.sh", "inline": ["x"]}),
        "files": {"a.sh": "echo a\n"},
    },
    {
        "name": "shell-bad-scripts",
        "template": with_provisioners({"type": "shell", "scripts": ["a.sh", "missing.sh", "dir/x.sh", "a.sh/x"]}),
        "files": {"a.sh": "echo a\n"},
    },
    {
        "name": "shell-env-vars-format",
        "template": with_provisioners(
            {"type": "shell", "inline": ["x"], "environment_vars": ["A=1", "=foo", "foobar", "B="]}
        ),
    },
    {"name": "shell-name-key", "template": with_provisioners({"type": "shell", "inline": ["x"], "name": "hello"})},
    {"name": "shell-env-newest", "template": with_provisioners({"type": "shell", "inline": ["x"], "env": {"A": "1"}})},
    {
        "name": "shell-core-keys",
        "template": with_provisioners(
            {
                "type": "shell",
                "inline": ["x"],
                "pause_before": "5s",
                "max_retries": 3,
                "timeout": "5m",
                "only": ["null"],
            }
        ),
    },
    {
        "name": "shell-type-errors",
        "template": with_provisioners(
            {
                "type": "shell",
                "inline": {"a": 1},
                "valid_exit_codes": ["a", 1],
                "expect_disconnect": "maybe",
                "start_retry_timeout": "soon",
            }
        ),
    },
    {
        "name": "shell-execute-command-excluded",
        "template": with_provisioners(
            {"type": "shell", "inline": ["x"], "execute_command": "{{ .Vars }} sudo {{ .Path }}"}
        ),
    },
    {
        "name": "shell-execute-command-parse-error",
        "template": with_provisioners({"type": "shell", "inline": ["x"], "execute_command": "{{ nope .Path }}"}),
    },
    {
        "name": "shell-clean-resource-name-undefined",
        "template": with_provisioners(
            {"type": "shell", "inline": ["echo mybuild-{{isotime | clean_resource_name}}"]}, builder=amazon()
        ),
    },
    {
        "name": "shell-env-not-allowed",
        "template": with_provisioners({"type": "shell", "inline": ["echo {{env `HOME`}}"]}),
    },
    {
        "name": "shell-build-function",
        "template": with_provisioners({"type": "shell", "inline": ["echo {{ build `ID` }}"]}),
    },
    # --- provisioner overrides ----------------------------------------------------------------------------------
    {
        "name": "override-list-merge-by-index",
        "template": with_provisioners(
            {
                "type": "file",
                "destination": "/tmp/",
                "sources": ["exists1", "missing2"],
                "override": {"null": {"sources": ["missing3"]}},
            }
        ),
        "files": {"exists1": "x"},
    },
    {
        "name": "override-fixes-config",
        "template": with_provisioners({"type": "shell", "override": {"null": {"inline": ["echo fixed"]}}}),
    },
    {
        "name": "override-other-build-only",
        "template": builds(
            {**NULL_NONE, "name": "a"},
            {**NULL_NONE, "name": "b"},
            provisioners=[{"type": "shell", "override": {"a": {"inline": ["echo a"]}}}],
        ),
    },
    {
        "name": "override-unknown-key",
        "template": with_provisioners(
            {"type": "shell", "inline": ["x"], "foo": 1, "override": {"null": {"foo": 2, "bar": 3}}}
        ),
    },
    {
        "name": "override-type-error",
        "template": with_provisioners({"type": "shell", "inline": ["x"], "override": {"null": {"skip_clean": "nope"}}}),
    },
    # --- file ---------------------------------------------------------------------------------------------------
    {"name": "file-nothing", "template": with_provisioners({"type": "file"})},
    {
        "name": "file-bad-source",
        "template": with_provisioners({"type": "file", "source": "missing.txt", "destination": "/tmp/"}),
    },
    {
        "name": "file-no-destination",
        "template": with_provisioners({"type": "file", "source": "f.txt"}),
        "files": {"f.txt": "x"},
    },
    {
        "name": "file-bad-direction",
        "template": with_provisioners(
            {"type": "file", "source": "f.txt", "destination": "/tmp/", "direction": "sideways"}
        ),
        "files": {"f.txt": "x"},
    },
    {
        "name": "file-download-missing-source",
        "template": with_provisioners(
            {"type": "file", "source": "/etc/remote", "destination": "out/", "direction": "download"}
        ),
    },
    {
        "name": "file-generated",
        "template": with_provisioners(
            {"type": "file", "source": "later.txt", "destination": "/tmp/", "generated": True}
        ),
    },
    {
        "name": "file-source-and-sources",
        "template": with_provisioners(
            {"type": "file", "source": "gone", "sources": ["f.txt", "alsogone"], "destination": "/tmp/"}
        ),
        "files": {"f.txt": "x"},
    },
    {
        "name": "file-number-sources",
        "template": with_provisioners(
            {"type": "file", "sources": [1e21, 22.50, 0.00001, True], "destination": "/tmp/"}
        ),
    },
    {
        "name": "file-content-newest",
        "template": with_provisioners({"type": "file", "content": "hello", "destination": "/tmp/x"}),
    },
    # --- shell-local --------------------------------------------------------------------------------------------
    {"name": "shell-local-nothing", "template": with_provisioners({"type": "shell-local"})},
    {
        "name": "shell-local-too-many",
        "template": with_provisioners({"type": "shell-local", "command": "echo", "inline": ["x"], "script": "s.sh"}),
        "files": {"s.sh": "echo\n"},
    },
    {
        "name": "shell-local-only-on",
        "template": with_provisioners(
            {"type": "shell-local", "inline": ["x"], "only_on": ["linux", "plan9"], "environment_vars": ["bad"]}
        ),
    },
    {
        "name": "shell-local-unknown-key",
        "template": with_provisioners({"type": "shell-local", "inline": ["x"], "foo": 1}),
    },
    {
        "name": "shell-local-type-error",
        "template": with_provisioners({"type": "shell-local", "inline": ["x"], "use_linux_pathing": "sure"}),
    },
    {"name": "shell-local-bad-script", "template": with_provisioners({"type": "shell-local", "scripts": ["nope.sh"]})},
    {
        "name": "shell-local-linux-pathing-inline",
        "template": with_provisioners({"type": "shell-local", "inline": ["x"], "use_linux_pathing": True}),
    },
    {
        "name": "shell-local-linux-pathing-script",
        "template": with_provisioners({"type": "shell-local", "script": "s.sh", "use_linux_pathing": True}),
        "files": {"s.sh": "echo\n"},
        "notes": "On Linux an absolute path has no drive letter, so ConvertToLinuxPath always fails.",
    },
    {
        "name": "shell-local-command",
        "template": with_provisioners(
            {"type": "shell-local", "command": "echo hi", "execute_command": ["bash", "-c", "{{.Vars}} {{.Script}}"]}
        ),
    },
    # --- ansible / ansible-local --------------------------------------------------------------------------------
    {
        "name": "ansible-missing-playbook",
        "template": with_provisioners({"type": "ansible", "playbook_file": "nope.yml"}),
    },
    {"name": "ansible-no-playbook", "template": with_provisioners({"type": "ansible"})},
    {
        "name": "ansible-files-and-probe",
        "template": with_provisioners(
            {
                "type": "ansible",
                "playbook_file": "play.yml",
                "local_port": 70000,
                "inventory_directory": "play.yml",
                "galaxy_file": ".",
                "user": "me",
            }
        ),
        "files": {"play.yml": "- hosts: all\n"},
    },
    {
        "name": "ansible-probe-only",
        "template": with_provisioners({"type": "ansible", "playbook_file": "play.yml"}),
        "files": {"play.yml": "- hosts: all\n"},
    },
    {
        "name": "ansible-custom-command",
        "template": with_provisioners({"type": "ansible", "playbook_file": "play.yml", "command": "./ansible-wrapper"}),
        "files": {"play.yml": "- hosts: all\n"},
    },
    {
        "name": "ansible-skip-version-check",
        "template": with_provisioners(
            {"type": "ansible", "playbook_file": "play.yml", "skip_version_check": True, "user": "me"}
        ),
        "files": {"play.yml": "- hosts: all\n"},
    },
    {
        "name": "ansible-skip-version-check-missing",
        "template": with_provisioners(
            {"type": "ansible", "playbook_file": "nope", "skip_version_check": True, "ssh_host_key_file": "k"}
        ),
    },
    {
        "name": "ansible-deprecated-galaxycommand",
        "template": with_provisioners(
            {"type": "ansible", "playbook_file": "play.yml", "galaxycommand": "x", "skip_version_check": True}
        ),
        "files": {"play.yml": "- hosts: all\n"},
    },
    {"name": "ansible-local-nothing", "template": with_provisioners({"type": "ansible-local"})},
    {
        "name": "ansible-local-both-and-missing",
        "template": with_provisioners(
            {
                "type": "ansible-local",
                "playbook_file": "nope.yml",
                "playbook_files": ["play.yml", "roles"],
                "playbook_dir": "play.yml",
                "role_paths": ["roles", "missing"],
                "galaxy_file": "roles",
            }
        ),
        "files": {"play.yml": "- hosts: all\n", "roles/.placeholder": ""},
    },
    {
        "name": "ansible-local-valid",
        "template": with_provisioners({"type": "ansible-local", "playbook_file": "play.yml", "group_vars": "roles"}),
        "files": {"play.yml": "- hosts: all\n", "roles/.placeholder": ""},
    },
    # --- breakpoint ---------------------------------------------------------------------------------------------
    {
        "name": "breakpoint-valid",
        "template": with_provisioners({"type": "breakpoint", "note": "look", "disable": "true"}),
    },
    {"name": "breakpoint-unknown-key", "template": with_provisioners({"type": "breakpoint", "notes": "x"})},
    # --- error-cleanup-provisioner ------------------------------------------------------------------------------
    {
        "name": "cleanup-provisioner-error",
        "template": builds(
            NULL_NONE,
            provisioners=[{"type": "shell", "inline": ["x"]}],
            error_cleanup_provisioner={"type": "shell-local"},
        ),
    },
    {
        "name": "provisioner-error-stops-before-cleanup",
        "template": builds(
            NULL_NONE, provisioners=[{"type": "shell"}], error_cleanup_provisioner={"type": "shell-local"}
        ),
    },
    # --- post-processors ----------------------------------------------------------------------------------------
    {
        "name": "manifest-valid",
        "template": with_post_processors({"type": "manifest", "output": "out-{{build_name}}.json", "strip_path": True}),
    },
    {
        "name": "manifest-deprecated-filename",
        "template": with_post_processors({"type": "manifest", "filename": "x.json"}),
    },
    {"name": "manifest-unknown-key", "template": with_post_processors({"type": "manifest", "outptu": "x.json"})},
    {
        "name": "manifest-type-error",
        "template": with_post_processors({"type": "manifest", "custom_data": ["a"], "strip_time": "never"}),
    },
    {
        "name": "manifest-core-keys",
        "template": with_post_processors(
            {"type": "manifest", "name": "m", "keep_input_artifact": True, "only": ["null"]}
        ),
    },
    {
        "name": "pp-shell-local-string-command",
        "template": with_post_processors(
            {"type": "shell-local", "inline": ["x"], "execute_command": "{{.Vars}} {{.Script}}"}
        ),
    },
    {
        "name": "pp-shell-local-nothing",
        "template": with_post_processors([{"type": "manifest"}, {"type": "shell-local"}]),
    },
    {
        "name": "pp-shell-local-unknown-key",
        "template": with_post_processors("manifest", {"type": "shell-local", "inline": ["x"], "oops": True}),
    },
    {
        "name": "pp-after-provisioner-error",
        "template": builds(
            NULL_NONE, provisioners=[{"type": "file"}], post_processors=[{"type": "manifest", "bad": 1}]
        ),
    },
]


def run_case(case: dict[str, Any], packer: str) -> None:
    case_dir = CASES_DIR / case["name"]
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    (case_dir / "template.json").write_text(json.dumps(case["template"], indent=2, ensure_ascii=False) + "\n")
    meta = {
        "name": case["name"],
        "files": case.get("files", {}),
        "var_args": case.get("var_args", []),
        "notes": case.get("notes", ""),
    }
    with tempfile.TemporaryDirectory(prefix="pkrprep.") as scratch:
        root = Path(scratch)
        work = root / "case"
        work.mkdir()
        shutil.copy(case_dir / "template.json", work / "template.json")
        for rel, content in meta["files"].items():
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        for sub in ("bin", "home", "tmp"):
            (root / sub).mkdir()
        os.symlink(packer, root / "bin" / "packer")
        env = {
            "PATH": str(root / "bin"),
            "HOME": str(root / "home"),
            "TMPDIR": str(root / "tmp"),
            "CHECKPOINT_DISABLE": "1",
            "TZ": "UTC",
            "LANG": "C.UTF-8",
        }
        argv = ["packer", "validate", *meta["var_args"], "template.json"]
        done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False)
        output = (done.stdout + done.stderr).replace(str(work), "<CASE>")
    meta["command"] = " ".join(argv)
    (case_dir / "case.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    (case_dir / "validate.out").write_text(output)
    (case_dir / "validate.rc").write_text(f"{done.returncode}\n")
    print(f"{case['name']}: rc {done.returncode}")


def main(argv: list[str]) -> int:
    packer = shutil.which(os.environ.get("PACKER", "packer"))
    if packer is None:
        print("packer not found (apt-get install -y packer, or set PACKER=...)", file=sys.stderr)
        return 2
    version = subprocess.run([packer, "version"], capture_output=True, text=True, check=False).stdout.strip()
    if version != "Packer v1.6.6":
        print(f"expected Packer v1.6.6, found {version!r}", file=sys.stderr)
        return 2
    names = {c["name"] for c in CASES}
    if len(names) != len(CASES):
        print("duplicate case names", file=sys.stderr)
        return 2
    wanted = set(argv) or names
    unknown = wanted - names
    if unknown:
        print(f"unknown cases: {sorted(unknown)}", file=sys.stderr)
        return 2
    for case in CASES:
        if case["name"] in wanted:
            run_case(case, packer)
    if not argv:
        for stale in CASES_DIR.iterdir():
            if stale.is_dir() and stale.name not in names:
                shutil.rmtree(stale)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
