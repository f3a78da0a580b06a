"""StepKeyPair against moto: the temporary key pair's life, user keys left alone, debug key file."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from packer_py.build.journal import Journal
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.access import AwsAccess
from packer_py.builders.amazon_ebs.key_pair import StepKeyPair
from packer_py.builders.amazon_ebs.state import RUN_ID_TAG, EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, RUN_UUID, make_state, moto_config
from tests.harness.ports import free_port

NAME = "packer_6b07d7f7-1111-2222-3333-000000000042"


def step(**overrides: Any) -> StepKeyPair:
    fields: dict[str, Any] = {
        "ssh_private_key_file": "",
        "ssh_keypair_name": "",
        "ssh_agent_auth": False,
        "temporary_key_pair_name": NAME,
        "temporary_key_pair_type": "",
        "debug": False,
        "debug_key_path": "ec2_amazon-ebs.pem",
    }
    fields.update(overrides)
    return StepKeyPair(**fields)


@pytest.fixture
def state(moto: Any) -> EbsState:
    return make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id), journal=Journal(None))


def key_pairs(moto: Any) -> dict[str, Any]:
    return {k["KeyName"]: k for k in moto.client("ec2").describe_key_pairs()["KeyPairs"]}


def test_temporary_key_pair_lives_for_the_build(moto: Any, state: EbsState) -> None:
    key = step()
    assert key.run(state) is Action.CONTINUE
    assert state.ui.says() == [f"Creating temporary keypair: {NAME}"]
    assert state.ssh_key_pair_name == NAME and "PRIVATE KEY" in state.ssh_private_key
    created = key_pairs(moto)[NAME]
    assert {"Key": RUN_ID_TAG, "Value": RUN_UUID} in created.get("Tags", [])
    assert [(r.kind, r.id) for r in state.journal.outstanding()] == [("key_pair", NAME)]

    key.cleanup(state)
    key.cleanup(state)  # a second cleanup does nothing
    assert NAME not in key_pairs(moto)
    assert (
        state.ui.says()[-1] == "Deleting temporary keypair..."
        and state.ui.says().count("Deleting temporary keypair...") == 1
    )
    assert state.journal.outstanding() == []


def test_temporary_key_pair_type_ed25519(moto: Any, state: EbsState) -> None:
    step(temporary_key_pair_type="ed25519").run(state)
    assert key_pairs(moto)[NAME]["KeyType"] == "ed25519"
    assert "OPENSSH PRIVATE KEY" in state.ssh_private_key


def test_a_private_key_file_is_read_and_nothing_is_created(moto: Any, state: EbsState, tmp_path: Path) -> None:
    path = tmp_path / "id_test"
    path.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n")
    key = step(ssh_private_key_file=str(path), ssh_keypair_name="users-key", temporary_key_pair_name="")
    key.run(state)
    key.cleanup(state)
    assert state.ui.says() == ["Using existing SSH private key"]
    assert state.ssh_private_key == path.read_text() and state.ssh_key_pair_name == "users-key"
    assert moto.api_calls() == []


def test_a_missing_private_key_file_is_gos_error(state: EbsState, tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(BuildError) as info:
        step(ssh_private_key_file=str(missing)).run(state)
    assert str(info.value) == f"Error on reading SSH private key: open {missing}: no such file or directory"


@pytest.mark.parametrize(
    ("overrides", "line", "key_name"),
    [
        ({"temporary_key_pair_name": ""}, "Not using temporary keypair", ""),
        ({"ssh_agent_auth": True}, "Using SSH Agent with key pair in Source AMI", ""),
        ({"ssh_agent_auth": True, "ssh_keypair_name": "mine"}, "Using SSH Agent for existing key pair mine", "mine"),
    ],
)
def test_no_temporary_key_pair(moto: Any, state: EbsState, overrides: dict[str, Any], line: str, key_name: str) -> None:
    step(**overrides).run(state)
    assert state.ui.says() == [line] and state.ssh_key_pair_name == key_name
    assert moto.api_calls() == []


def test_debug_keeps_the_key_in_a_file_until_cleanup(
    moto: Any, state: EbsState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    key = step(debug=True)
    key.run(state)
    saved = tmp_path / "ec2_amazon-ebs.pem"
    assert saved.read_text() == state.ssh_private_key
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert ("message", "Saving key for debug purposes: ec2_amazon-ebs.pem") in state.ui.lines
    key.cleanup(state)
    assert not saved.exists()


def test_a_failed_delete_says_what_to_delete_by_hand(moto: Any, state: EbsState) -> None:
    key = step()
    key.run(state)
    dead = f"http://127.0.0.1:{free_port()}"
    state.aws = AwsAccess.open(
        type(state.config)(region=REGION, access_key="a", secret_key="b", custom_endpoint_ec2=dead, max_retries=1), {}
    )
    key.cleanup(state)
    assert state.ui.errors() == [f"Error cleaning up keypair. Please delete the key manually: {NAME}"]
    assert [r.id for r in state.journal.outstanding()] == [NAME]
