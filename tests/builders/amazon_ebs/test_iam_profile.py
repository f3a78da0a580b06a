"""StepIamInstanceProfile against moto's IAM: the temporary profile, role and policy, and what a failure leaves."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

import pytest

from packer_py.builders.amazon_ebs.iam_profile import TRUST_POLICY, StepIamInstanceProfile, policy_json
from packer_py.builders.amazon_ebs.state import RUN_ID_TAG, EbsState
from packer_py.errors import BuildError
from tests.builders.amazon_ebs.support import REGION, RUN_UUID, make_state, moto_config

POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["*"]}]}
NAME = "packer-6b07d7f7-1111-2222-3333-000000000001"


@pytest.fixture
def state(moto: Any) -> EbsState:
    return make_state(moto, moto_config(moto, moto.default_ami(REGION).image_id))


def step(**overrides: Any) -> StepIamInstanceProfile:
    fields: dict[str, Any] = {"iam_instance_profile": "", "skip_profile_validation": False, "policy_document": POLICY}
    fields.update(overrides)
    return StepIamInstanceProfile(**fields)


def test_policy_document_is_serialised_as_gos_json_marshal() -> None:
    document = {
        "Statement": [{"Resource": ["*"], "Action": ["a:B"], "Effect": "Allow", "Sid": "dropped"}],
        "Version": "2012-10-17",
    }
    assert policy_json(document) == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["a:B"],"Resource":["*"]}]}'
    )


def test_temporary_profile_role_and_policy(moto: Any, state: EbsState) -> None:
    iam = moto.client("iam")
    profile = step()
    profile.run(state)
    assert state.iam_instance_profile == NAME
    assert state.ui.says() == [
        f"Creating temporary instance profile for this instance: {NAME}",
        f"Creating temporary role for this instance: {NAME}",
        f"Attaching policy to the temporary role: {NAME}",
    ]
    role = iam.get_role(RoleName=NAME)["Role"]
    assert role["Description"] == "Temporary role for Packer"
    trust = role["AssumeRolePolicyDocument"]
    trust = json.loads(unquote(trust)) if isinstance(trust, str) else trust
    assert trust == json.loads(TRUST_POLICY)
    assert {"Key": RUN_ID_TAG, "Value": RUN_UUID} in role.get("Tags", [])
    inline = iam.get_role_policy(RoleName=NAME, PolicyName=NAME)["PolicyDocument"]
    assert (json.loads(unquote(inline)) if isinstance(inline, str) else inline) == POLICY
    roles = iam.get_instance_profile(InstanceProfileName=NAME)["InstanceProfile"]["Roles"]
    assert [r["RoleName"] for r in roles] == [NAME]
    assert sorted(r.kind for r in state.journal.outstanding()) == [
        "iam_instance_profile",
        "iam_role",
        "iam_role_policy",
    ]

    profile.cleanup(state)
    profile.cleanup(state)
    assert state.ui.says()[3:] == [
        "Detaching temporary role from instance profile...",
        "Removing policy from temporary role...",
        "Deleting temporary role...",
        "Deleting temporary instance profile...",
    ]
    assert iam.list_roles()["Roles"] == [] and iam.list_instance_profiles()["InstanceProfiles"] == []
    assert state.journal.outstanding() == []


def test_a_rejected_policy_deletes_what_was_made(moto: Any, state: EbsState) -> None:
    bad = {"Version": "2012-10-17", "Statement": [{"Effect": "Allowed", "Action": ["s3:Get*"], "Resource": ["*"]}]}
    profile = step(policy_document=bad)
    with pytest.raises(BuildError, match="^MalformedPolicyDocument: Syntax errors in policy."):
        profile.run(state)
    profile.cleanup(state)
    assert state.ui.says()[-2:] == ["Deleting temporary role...", "Deleting temporary instance profile..."]
    iam = moto.client("iam")
    assert iam.list_roles()["Roles"] == [] and iam.list_instance_profiles()["InstanceProfiles"] == []
    assert not moto.leftovers()


def test_an_existing_profile_is_checked_and_kept(moto: Any, state: EbsState) -> None:
    iam = moto.client("iam")
    made = iam.create_instance_profile(InstanceProfileName="users")["InstanceProfile"]
    moto.own(made["InstanceProfileId"])
    profile = step(iam_instance_profile="users", policy_document=None)
    profile.run(state)
    profile.cleanup(state)
    assert state.iam_instance_profile == "users"
    assert moto.api_calls() == [("iam", "GetInstanceProfile")]
    assert iam.get_instance_profile(InstanceProfileName="users")


def test_a_missing_profile_is_an_error_unless_validation_is_skipped(moto: Any, state: EbsState) -> None:
    with pytest.raises(BuildError, match="^Couldn't find specified instance profile: NoSuchEntity"):
        step(iam_instance_profile="nobody", policy_document=None).run(state)
    step(iam_instance_profile="nobody", policy_document=None, skip_profile_validation=True).run(state)
    assert state.iam_instance_profile == "nobody"


def test_no_profile_at_all(moto: Any, state: EbsState) -> None:
    step(policy_document=None).run(state)
    assert state.iam_instance_profile == "" and moto.api_calls() == []
