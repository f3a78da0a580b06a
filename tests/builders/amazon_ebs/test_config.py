"""EbsConfig reads the schema's decoded config: Packer's defaults, durations, trileans, merged tags and filters."""

from __future__ import annotations

from packer_py.builders.amazon_ebs.config import BlockDevice, EbsConfig
from tests.builders.amazon_ebs.support import decode

BASE = {
    "region": "us-east-1",
    "source_ami": "ami-0123456789abcdef0",
    "instance_type": "t2.micro",
    "ssh_username": "ec2-user",
    "ami_name": "packer-test",
}


def read(**overrides: object) -> EbsConfig:
    return EbsConfig.from_decoded(decode({**BASE, **overrides}))


def test_defaults_are_packers() -> None:
    config = read()
    assert config.ssh_port == 22 and config.ssh_timeout == 300.0 and config.ssh_handshake_attempts == 10
    assert config.max_retries == 10
    assert config.shutdown_behavior == "stop"
    assert config.temporary_security_group_source_cidrs == ("0.0.0.0/0",)
    assert config.temporary_key_pair_name.startswith("packer_")
    assert config.ena_support is None and config.encrypt_boot is None
    assert config.communicator == "ssh" and not config.is_spot
    assert config.ami_description == "" and config.tags == {}


def test_durations_become_seconds() -> None:
    config = read(ssh_timeout="5s", pause_before_connecting="1m30s", ssh_keep_alive_interval="10s")
    assert (config.ssh_timeout, config.pause_before_connecting, config.ssh_keep_alive_interval) == (5.0, 90.0, 10.0)


def test_singular_tag_blocks_and_filter_lists_are_already_merged() -> None:
    config = read(
        tags={"A": "1"},
        tag=[{"key": "B", "value": "2"}],
        run_tag=[{"key": "R", "value": "{{ .BuildRegion }}"}],
        source_ami_filter={"filter": [{"key": "name", "value": "x-*"}], "owners": ["self"], "most_recent": True},
        subnet_filter={"filters": {"tag:Env": "ci"}, "most_free": True},
    )
    assert config.tags == {"A": "1", "B": "2"}
    assert config.run_tags == {"R": "{{ .BuildRegion }}"}
    assert config.source_ami_filter.filters == {"name": "x-*"}
    assert config.source_ami_filter.owners == ("self",) and config.source_ami_filter.most_recent
    assert config.subnet_filter.filters == {"tag:Env": "ci"} and config.subnet_filter.most_free


def test_build_time_strings_stay_unrendered() -> None:
    config = read(ami_description="from {{ .SourceAMI }}", snapshot_tags={"S": "{{ .SourceAMIName }}"})
    assert config.ami_description == "from {{ .SourceAMI }}"
    assert config.snapshot_tags == {"S": "{{ .SourceAMIName }}"}


def test_trileans_keep_unset_apart_from_false() -> None:
    assert read(ena_support=False).ena_support is False
    assert read(ena_support=True).ena_support is True
    assert read(encrypt_boot=True).encrypt_boot is True


def test_block_devices_and_policy_document() -> None:
    config = read(
        launch_block_device_mappings=[{"device_name": "/dev/sdb", "volume_size": 4, "encrypted": True}],
        temporary_iam_instance_profile_policy_document={
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
        },
    )
    assert config.launch_block_device_mappings == (BlockDevice(device_name="/dev/sdb", volume_size=4, encrypted=True),)
    document = config.temporary_iam_instance_profile_policy_document
    assert document is not None and document["Statement"] == [
        {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["*"]}
    ]


def test_force_folds_into_force_deregister_and_spot_is_recognised() -> None:
    assert EbsConfig.from_decoded({**decode(BASE), "packer_force": True}).force_deregister
    assert read(spot_price="auto").is_spot and not read(spot_price="0").is_spot


def test_security_group_id_becomes_the_list() -> None:
    assert read(security_group_id="sg-1").security_group_ids == ("sg-1",)


def test_newest_options_are_read() -> None:
    config = read(metadata_options={"http_tokens": "required"}, ami_org_arns=["arn:aws:organizations::1:org/o-1"])
    assert config.metadata_options is not None and config.metadata_options.http_tokens == "required"
    assert config.metadata_options.http_endpoint == "enabled"
    assert config.ami_org_arns == ("arn:aws:organizations::1:org/o-1",)


def test_communicator_none_has_port_zero_as_in_packer() -> None:
    """``Comm.Port()`` is 0 for ``none``: Packer then authorizes port 0 in the temporary security group."""
    assert read(communicator="none").ssh_port == 0
