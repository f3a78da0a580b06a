"""StepKeyPair (step_key_pair.go): the key the instance is launched with and the communicator logs in with.

Packer's order of cases:

1. ``ssh_private_key_file`` set: ``Using existing SSH private key``; the file is read, and the instance is launched
   with ``ssh_keypair_name`` (if any): with no key pair name the AMI must already trust the key;
2. ``ssh_agent_auth``: the agent's keys, with or without ``ssh_keypair_name``;
3. no ``temporary_key_pair_name`` (a password login): ``Not using temporary keypair``;
4. otherwise a temporary key pair ``packer_<time-ordered uuid>`` is created through CreateKeyPair (11 tries), its
   private key kept in memory (and, with ``-debug``, written to ``ec2_<build name>.pem``).

``temporary_key_pair_type`` (``rsa`` or ``ed25519``) is passed to CreateKeyPair as the newest Packer does; 1.6.6
ignored it and always got RSA. Only a key pair this step created is deleted.

With ``prefetch`` (an SSH build) the private key is parsed in the background as soon as it is known, so that the
connection, several AWS calls later, finds it ready.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from packer_py.build.journal import Resource
from packer_py.build.steps import Action
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import retry
from packer_py.errors import AwsError


def read_private_key_file(path: str) -> str:
    """``communicator.Config.ReadSSHPrivateKeyFile``."""
    from packer_py.errors import BuildError

    expanded = os.path.expanduser(path)
    try:
        return Path(expanded).read_text()
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise BuildError(f"Error on reading SSH private key: open {expanded}: {reason}") from None


@dataclass
class StepKeyPair:
    ssh_private_key_file: str
    ssh_keypair_name: str
    ssh_agent_auth: bool
    temporary_key_pair_name: str
    temporary_key_pair_type: str
    debug: bool
    debug_key_path: str
    prefetch: bool = False
    _created: Resource | None = None
    _debug_file: Path | None = None

    def run(self, state: EbsState) -> Action:
        ui = state.ui
        if self.ssh_private_key_file:
            ui.say("Using existing SSH private key")
            state.ssh_private_key = read_private_key_file(self.ssh_private_key_file)
            state.ssh_key_pair_name = self.ssh_keypair_name
            if self.prefetch:
                from packer_py.communicator.keys import prefetch

                prefetch(state.ssh_private_key)
            return Action.CONTINUE
        if self.ssh_agent_auth and not self.ssh_keypair_name:
            ui.say("Using SSH Agent with key pair in Source AMI")
            return Action.CONTINUE
        if self.ssh_agent_auth:
            ui.say(f"Using SSH Agent for existing key pair {self.ssh_keypair_name}")
            state.ssh_key_pair_name = self.ssh_keypair_name
            return Action.CONTINUE
        if not self.temporary_key_pair_name:
            ui.say("Not using temporary keypair")
            state.ssh_key_pair_name = ""
            return Action.CONTINUE

        name = self.temporary_key_pair_name
        ui.say(f"Creating temporary keypair: {name}")
        params: dict[str, object] = {"KeyName": name}
        if self.temporary_key_pair_type:
            params["KeyType"] = self.temporary_key_pair_type
        tag_specs = state.tag_specifications("key-pair")
        if tag_specs:
            params["TagSpecifications"] = tag_specs
        ec2 = state.ec2()
        try:
            created = retry(state.wait, lambda: ec2.call("create_key_pair", **params))
        except AwsError as exc:
            raise state.fail(f"Error creating temporary keypair: {exc}", show=False) from None
        self._created = state.record("key_pair", name)
        state.ssh_key_pair_name = name
        state.ssh_private_key = str(created.get("KeyMaterial", ""))
        if self.prefetch:
            from packer_py.communicator.keys import prefetch

            prefetch(state.ssh_private_key)
        if self.debug:
            ui.message(f"Saving key for debug purposes: {self.debug_key_path}")
            try:
                path = Path(self.debug_key_path)
                path.write_text(state.ssh_private_key)
                self._debug_file = path
                path.chmod(0o600)
            except OSError as exc:
                raise state.fail(f"Error saving debug key: {exc}", show=False) from None
        return Action.CONTINUE

    def cleanup(self, state: EbsState) -> None:
        if self._created is None:
            return
        ui = state.ui
        ui.say("Deleting temporary keypair...")
        try:
            state.ec2().call("delete_key_pair", KeyName=self._created.id)
        except AwsError:
            ui.error(f"Error cleaning up keypair. Please delete the key manually: {self._created.id}")
        else:
            state.forget(self._created)
            self._created = None
        if self._debug_file is not None:
            try:
                self._debug_file.unlink()
            except OSError as exc:
                ui.error(f"Error removing debug key '{self._debug_file}': {exc}")
            self._debug_file = None
