"""StepIamInstanceProfile (step_iam_instance_profile.go): the instance profile the instance runs with.

``iam_instance_profile`` names an existing profile (checked with GetInstanceProfile unless
``skip_profile_validation``); it is never deleted. With ``temporary_iam_instance_profile_policy_document`` the step
creates, in Packer's order, an instance profile, a role trusted by ``ec2.amazonaws.com``, the role's inline policy
(the document), and attaches the role to the profile, all named ``packer-<time-ordered uuid>``. Each name is
recorded the moment IAM returns it, so that a failure halfway (IAM rejecting the policy document, say) deletes
exactly what exists: detach, delete the policy, the role, the profile.

The policy document is serialised as Go's ``json.Marshal`` of Packer's ``PolicyDocument`` struct does: compact, keys
in the order ``Version``, ``Statement`` and ``Effect``, ``Action``, ``Resource``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packer_py.build.journal import Resource
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.boundary import matches
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import INSTANCE_PROFILE_EXISTS, ROLE_EXISTS, Verdict, WaiterSpec, wait_until
from packer_py.errors import AwsError

TRUST_POLICY = (
    '{"Version": "2012-10-17","Statement": [{"Effect": "Allow","Principal": {"Service": "ec2.amazonaws.com"},'
    '"Action": "sts:AssumeRole"}]}'
)


def policy_json(document: dict[str, Any]) -> str:
    """``json.Marshal(PolicyDocument)``: only the struct's fields, in the struct's order."""
    statements = [
        {"Effect": s.get("Effect", ""), "Action": s.get("Action") or [], "Resource": s.get("Resource") or []}
        for s in document.get("Statement") or []
    ]
    ordered = {"Version": document.get("Version", ""), "Statement": statements}
    # Go escapes <, > and & in strings; Python's json does not, which AWS reads the same
    return json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)


def _made(state: EbsState, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """One IAM call that makes the temporary profile: on failure Packer's step fails with the AWS error as is."""
    try:
        return call()
    except AwsError as exc:
        raise state.fail(str(exc)) from None


def _delete(state: EbsState, entity: Resource, what: str, call: Callable[[], object]) -> bool:
    """Cleanup of the temporary role or profile: on failure Packer says what to delete by hand; it stays recorded."""
    state.ui.say(f"Deleting temporary {what}...")
    try:
        call()
    except AwsError as exc:
        state.ui.error(f"Error {exc}. Please delete the {what} manually: {entity.id}")
        return False
    state.forget(entity)
    return True


def _wait_exists(state: EbsState, waiter: WaiterSpec, get: Callable[[], object], timeout_message: str) -> None:
    """Poll ``get`` (a Get* call) until IAM stops answering ``NoSuchEntity``, as the SDK's ``*Exists`` waiters do."""

    def exists() -> Verdict:
        try:
            get()
        except AwsError as exc:
            if matches(exc, "NoSuchEntity"):
                return "retry"
            raise
        return "success"

    try:
        wait_until(state.wait, waiter, exists)
    except AwsError as exc:
        raise state.fail(f"{timeout_message}: {exc}", show=False) from None


@dataclass
class StepIamInstanceProfile:
    iam_instance_profile: str
    skip_profile_validation: bool
    policy_document: dict[str, Any] | None
    _profile: Resource | None = None
    _role: Resource | None = None
    _policy: Resource | None = None
    _attached: bool = False

    def run(self, state: EbsState) -> Action:
        ui, iam = state.ui, state.iam()
        state.iam_instance_profile = ""
        if self.iam_instance_profile:
            if not self.skip_profile_validation:
                try:
                    iam.call("get_instance_profile", InstanceProfileName=self.iam_instance_profile)
                except AwsError as exc:
                    raise state.fail(f"Couldn't find specified instance profile: {exc}", show=False) from None
            state.iam_instance_profile = self.iam_instance_profile
            return Action.CONTINUE
        if self.policy_document is None:
            return Action.CONTINUE

        name = f"packer-{state.new_uuid()}"
        policy = policy_json(self.policy_document)
        tags = state.run_tags()
        ui.say(f"Creating temporary instance profile for this instance: {name}")
        profile = _made(
            state,
            lambda: iam.call("create_instance_profile", InstanceProfileName=name, **({"Tags": tags} if tags else {})),
        )
        profile_name = str(profile["InstanceProfile"]["InstanceProfileName"])
        self._profile = state.record("iam_instance_profile", profile_name, region="")

        _wait_exists(
            state,
            INSTANCE_PROFILE_EXISTS,
            lambda: iam.call("get_instance_profile", InstanceProfileName=profile_name),
            f"Timed out waiting for instance profile {profile_name}",
        )

        ui.say(f"Creating temporary role for this instance: {name}")
        role = _made(
            state,
            lambda: iam.call(
                "create_role",
                RoleName=name,
                Description="Temporary role for Packer",
                AssumeRolePolicyDocument=TRUST_POLICY,
                **({"Tags": tags} if tags else {}),
            ),
        )
        role_name = str(role["Role"]["RoleName"])
        self._role = state.record("iam_role", role_name, region="")

        _wait_exists(
            state,
            ROLE_EXISTS,
            lambda: iam.call("get_role", RoleName=role_name),
            f"Timed out waiting for temporary role {role_name}",
        )

        ui.say(f"Attaching policy to the temporary role: {name}")
        _made(state, lambda: iam.call("put_role_policy", RoleName=role_name, PolicyName=name, PolicyDocument=policy))
        self._policy = state.record("iam_role_policy", name, region="", detail=role_name)
        _made(
            state,
            lambda: iam.call("add_role_to_instance_profile", RoleName=role_name, InstanceProfileName=profile_name),
        )
        self._attached = True
        state.iam_instance_profile = profile_name
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        ui = state.ui
        if self._profile is None and self._role is None:
            return
        iam = state.iam()
        if self._attached and self._profile is not None and self._role is not None:
            ui.say("Detaching temporary role from instance profile...")
            try:
                iam.call(
                    "remove_role_from_instance_profile",
                    InstanceProfileName=self._profile.id,
                    RoleName=self._role.id,
                )
                self._attached = False
            except AwsError as exc:
                ui.error(f"Error {exc}. Please delete the role manually: {self._role.id}")
        if self._policy is not None and self._role is not None:
            ui.say("Removing policy from temporary role...")
            try:
                iam.call("delete_role_policy", PolicyName=self._policy.id, RoleName=self._role.id)
                state.forget(self._policy)
                self._policy = None
            except AwsError:
                pass  # Packer ignores this error; deleting the role then fails and says what to delete
        role = self._role
        if role is not None and _delete(state, role, "role", lambda: iam.call("delete_role", RoleName=role.id)):
            self._role = None
        profile = self._profile
        if profile is not None and _delete(
            state,
            profile,
            "instance profile",
            lambda: iam.call("delete_instance_profile", InstanceProfileName=profile.id),
        ):
            self._profile = None
