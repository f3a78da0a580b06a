"""StepConnect: the instance's address, a real SSH login with a moto key pair, timeout, cancel, pause."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from packer_py.build.steps import Cancelled
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.connect import StepConnect, instance_address, ssh_host
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.errors import BuildError, UnsupportedError
from tests.builders.amazon_ebs.support import REGION, FakeClock, make_state, moto_config


def connect_state(moto: Any, ssh: Any, *, clock: FakeClock | None = None, **keys: object) -> EbsState:
    raw = moto_config(
        moto,
        moto.default_ami(REGION).image_id,
        ssh_host=ssh.host,
        ssh_port=ssh.port,
        ssh_username=getattr(ssh, "user", "ec2-user"),
        **keys,
    )
    return make_state(moto, raw, clock=clock)


def with_moto_key(moto: Any, state: EbsState) -> None:
    """Log in as a build does: with the private key of a key pair moto made (the sshd trusts moto's key pairs)."""
    state.ssh_private_key = moto.client("ec2").create_key_pair(KeyName="login")["KeyMaterial"]


# -- the address -----------------------------------------------------------------------------------------------------
VPC_INSTANCE = {
    "InstanceId": "i-1",
    "VpcId": "vpc-1",
    "PublicIpAddress": "54.0.0.1",
    "PrivateIpAddress": "10.0.0.1",
    "PublicDnsName": "ec2-54-0-0-1.compute-1.amazonaws.com",
    "PrivateDnsName": "ip-10-0-0-1.ec2.internal",
}


@pytest.mark.parametrize(
    ("instance", "interface", "address"),
    [
        (VPC_INSTANCE, "", "54.0.0.1"),
        ({**VPC_INSTANCE, "PublicIpAddress": ""}, "", "10.0.0.1"),
        ({**VPC_INSTANCE, "VpcId": ""}, "", "ec2-54-0-0-1.compute-1.amazonaws.com"),
        (VPC_INSTANCE, "private_ip", "10.0.0.1"),
        (VPC_INSTANCE, "public_dns", "ec2-54-0-0-1.compute-1.amazonaws.com"),
        (VPC_INSTANCE, "private_dns", "ip-10-0-0-1.ec2.internal"),
        ({"InstanceId": "i-1", "VpcId": "vpc-1"}, "public_ip", ""),
    ],
)
def test_address_follows_ssh_interface(instance: dict[str, str], interface: str, address: str) -> None:
    assert instance_address(instance, interface) == address


def test_ssh_host_wins_and_an_instance_is_described_again_for_its_address(moto: Any) -> None:
    state = make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id))
    assert ssh_host(state, "", "10.1.1.1") == "10.1.1.1"
    ec2 = moto.client("ec2")
    launched = ec2.run_instances(ImageId=moto.default_ami(REGION).image_id, MinCount=1, MaxCount=1)["Instances"][0]
    state.instance = {"InstanceId": launched["InstanceId"], "VpcId": launched.get("VpcId", "")}
    address = ssh_host(state, "private_ip", "")
    assert address == launched["PrivateIpAddress"] and moto.api_calls() == [("ec2", "DescribeInstances")]
    ec2.terminate_instances(InstanceIds=[launched["InstanceId"]])
    state.instance = {"InstanceId": "i-00000000000000000"}
    with pytest.raises(BuildError, match="InvalidInstanceID.NotFound"):
        ssh_host(state, "", "")


# -- connecting ------------------------------------------------------------------------------------------------------
def test_connects_with_the_temporary_key(moto: Any, sshd: Any) -> None:
    state = connect_state(moto, sshd)
    with_moto_key(moto, state)
    connect = StepConnect(state.config)
    connect.run(state)
    assert state.ui.says() == [
        f"Using ssh communicator to connect: {sshd.host}",
        "Waiting for SSH to become available...",
        "Connected to SSH!",
    ]
    out: list[str] = []
    result = state.communicator.run("echo connected", on_stdout=out.append, on_stderr=out.append)
    assert result.exit_status == 0 and out == ["connected"]
    assert (state.ssh_host, state.ssh_port) == (sshd.host, sshd.port)
    connect.cleanup(state)
    assert state.communicator is None


def test_a_port_that_never_answers_times_out(moto: Any, silent_port: Any) -> None:
    state = connect_state(moto, silent_port, clock=FakeClock(), ssh_timeout="1s")
    with_moto_key(moto, state)
    with pytest.raises(BuildError) as info:
        StepConnect(state.config).run(state)
    assert str(info.value) == "Timeout waiting for SSH."
    assert state.ui.errors() == ["Timeout waiting for SSH."]


def test_a_refused_key_is_packers_authentication_error(moto: Any, sshd: Any) -> None:
    state = connect_state(moto, sshd, clock=FakeClock(), ssh_handshake_attempts=1)
    with_moto_key(moto, state)
    moto.client("ec2").delete_key_pair(KeyName="login")  # the sshd no longer trusts it
    with pytest.raises(BuildError) as info:
        StepConnect(state.config).run(state)
    assert str(info.value).startswith("Packer experienced an authentication error when trying to connect via SSH.")
    assert state.ui.errors() == [f"Error waiting for SSH: {info.value}"]


def test_a_cancel_ends_the_wait_at_once(moto: Any, silent_port: Any) -> None:
    state = connect_state(moto, silent_port, ssh_timeout="5m")
    with_moto_key(moto, state)
    threading.Timer(0.3, state.cancel_event.set).start()
    started = time.monotonic()
    connect = StepConnect(state.config)
    with pytest.raises(Cancelled):
        connect.run(state)
    connect.cleanup(state)
    assert time.monotonic() - started < 3


def test_pause_before_connecting_connects_again(moto: Any, sshd: Any) -> None:
    clock = FakeClock()
    state = connect_state(moto, sshd, clock=clock, pause_before_connecting="2s")
    with_moto_key(moto, state)
    connect = StepConnect(state.config)
    connect.run(state)
    connect.cleanup(state)
    assert state.ui.says()[1:] == [
        "Waiting for SSH to become available...",
        "Connected to SSH!",
        "Pausing 2s before connecting...",
        "Waiting for SSH to become available...",
        "Connected to SSH!",
    ]
    assert 2.0 in clock.slept


def test_communicator_none_connects_nothing(moto: Any) -> None:
    state = make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id, communicator="none"))
    StepConnect(state.config).run(state)
    assert state.communicator is None and state.ui.lines == []


def test_winrm_is_not_supported(moto: Any) -> None:
    state = make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id))
    with pytest.raises(UnsupportedError, match="winrm"):
        StepConnect(EbsConfig(communicator="winrm")).run(state)
