"""Packer provisioners as AWSTOE steps, keeping Packer's semantics where AWSTOE's differ.

* ``shell`` ``inline``: one ``ExecuteBash`` step. Packer writes the lines to a script that starts with
  ``inline_shebang`` (default ``/bin/sh -e``), so a failing command fails the build; AWSTOE runs ``commands`` as one
  bash script *without* ``-e``, so the shebang's flags become a leading ``set -e`` (``set -ex``...). Packer's
  environment (``PACKER_BUILDER_TYPE``, ``PACKER_BUILD_NAME``, then ``environment_vars``) is exported first.
  A non-shell shebang (``/usr/bin/env python3``) keeps its interpreter: the lines go to a file that is run.
* ``shell`` ``script``/``scripts``: each script's content, written to a file and run (its own shebang applies, as
  when Packer runs it), then removed as Packer removes it; a script too large for the component is staged to S3.
* A reboot line in an ``inline`` script (``sudo reboot``, ``shutdown -r now``...) becomes a ``Reboot`` step, which
  is what ``expect_disconnect`` is for in Packer.
* ``file``: a small text file becomes ``CreateFile`` (content, the local file's mode, owned by ``ssh_username`` as
  Packer's upload is); anything else is staged and fetched with ``S3Download``, then given its mode back
  (S3 objects carry no Unix mode).
* ``ansible`` / ``ansible-local``: install Ansible when missing, fetch the playbook and the Galaxy file
  (``S3Download``), ``ansible-galaxy install -r``, ``ansible-playbook -c local`` with Packer's extra variables.
* ``pause_before``: a ``sleep`` step; ``max_retries`` -> ``maxAttempts``; ``timeout`` -> ``timeoutSeconds``.
* Everything runs as root under AWSTOE, so ``execute_command``'s ``sudo`` is dropped (with a note).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packer_py.imagebuilder.plan import STAGING_PARAMETER, ExportWarning, StagedFile
from packer_py.imagebuilder.values import BuildValues, shell_quote
from packer_py.template.model import Provisioner

Step = dict[str, Any]

DEFAULT_EXECUTE_COMMAND = "chmod +x {{.Path}}; {{.Vars}} {{.Path}}"
SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "zsh"})
REBOOT_LINE = re.compile(
    r"^\s*(?:sudo\s+(?:-\w+\s+)*)?(?:/s?bin/|/usr/s?bin/)?(?:reboot|systemctl\s+reboot|shutdown\s+-r(?:\s+\S+)*|"
    r"init\s+6)(?:\s+-?-?\w+)*\s*;?\s*(?:&&\s*)?$"
)
INSTALL_ANSIBLE = """if ! command -v ansible-playbook >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -y && apt-get install -y ansible
  elif command -v dnf >/dev/null 2>&1; then
    dnf install -y ansible-core || dnf install -y ansible
  elif command -v amazon-linux-extras >/dev/null 2>&1; then
    amazon-linux-extras install -y ansible2
  elif command -v yum >/dev/null 2>&1; then
    yum install -y ansible
  else
    python3 -m pip install ansible
  fi
fi"""
"""Installs Ansible with the image's package manager unless it is already there (the seed installs it by hand)."""


@dataclass
class Payload:
    """Content that is inline in the component unless staged (``id`` is chosen for greedy staging)."""

    id: str
    source: Path
    size: int


@dataclass
class StepMapper:
    """Maps the provisioners of one build; ``staged_ids`` are the payloads to stage instead of inlining."""

    build_name: str
    builder_type: str
    ssh_username: str
    cwd: Path
    values: BuildValues
    prefix: str = ""
    """The S3 key prefix of staged files (``packer-py/<name>/``)."""
    staged_ids: set[str] = field(default_factory=set)
    inline_limit: int = 8192
    """A file bigger than this (or not UTF-8 text) is always staged."""
    steps: list[Step] = field(default_factory=list)
    staged: list[StagedFile] = field(default_factory=list)
    payloads: list[Payload] = field(default_factory=list)
    warnings: list[ExportWarning] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    # -- entry point -----------------------------------------------------------------------------------------------
    def add(self, index: int, prov: Provisioner, config: dict[str, Any]) -> None:
        label = f"{prov.type}-{index}"
        extra: Step = {}
        if prov.max_retries:
            try:
                extra["maxAttempts"] = int(prov.max_retries) + 1
            except ValueError:
                pass
        if prov.timeout:
            seconds = _seconds(prov.timeout)
            if seconds:
                extra["timeoutSeconds"] = max(1, seconds)
        if prov.pause_before:
            seconds = _seconds(prov.pause_before)
            if seconds:
                self.steps.append(_bash(f"{label}-pause-before", [f"sleep {seconds}"]))
        before = len(self.steps)
        handler = getattr(self, "_" + prov.type.replace("-", "_"), None)
        if handler is None:
            self.warnings.append(
                ExportWarning(
                    f"provisioner-{prov.type}",
                    f"provisioner {prov.type!r} has no Image Builder equivalent and was left out",
                    prov.pos,
                )
            )
            return
        handler(label, prov, config)
        for step in self.steps[before:]:
            if step["action"] != "Reboot":
                step.update(extra)

    # -- shell -----------------------------------------------------------------------------------------------------
    def _environment(self, prov: Provisioner, config: dict[str, Any]) -> list[str]:
        env = [
            f"PACKER_BUILDER_TYPE={self.builder_type}",
            f"PACKER_BUILD_NAME={self.build_name}",
            *[self._text(prov, v, "environment_vars") for v in config.get("environment_vars") or []],
        ]
        out = []
        for item in env:
            key, _, value = item.partition("=")
            out.append(f"export {key}={shell_quote(value)}")
        return out

    def _execute_command_note(self, prov: Provisioner, config: dict[str, Any]) -> None:
        command = str(config.get("execute_command") or DEFAULT_EXECUTE_COMMAND)
        if command == DEFAULT_EXECUTE_COMMAND:
            return
        if "sudo" in command:
            self.notes.append(("execute_command with sudo", "dropped: AWSTOE runs every step as root"))
        else:
            self.warnings.append(
                ExportWarning(
                    "execute-command",
                    f"execute_command {command!r} is not used: AWSTOE runs the commands with bash as root",
                    prov.pos,
                )
            )

    def _shell(self, label: str, prov: Provisioner, config: dict[str, Any]) -> None:
        self._execute_command_note(prov, config)
        codes = config.get("valid_exit_codes")
        if codes and list(codes) != [0]:
            self.warnings.append(
                ExportWarning(
                    "valid-exit-codes",
                    f"valid_exit_codes {list(codes)}: AWSTOE treats every non-zero exit status as a failure",
                    prov.pos,
                )
            )
        env = self._environment(prov, config)
        inline = config.get("inline") or []
        if inline:
            self._shell_inline(label, prov, config, env, [self._text(prov, line, "inline") for line in inline])
        scripts = list(config.get("scripts") or [])
        if config.get("script") and config["script"] not in scripts:  # Packer's prepare appends it to scripts
            scripts.insert(0, config["script"])
        for number, script in enumerate(scripts, start=1):
            self._shell_script(
                f"{label}-script-{number}" if len(scripts) > 1 else f"{label}-script",
                prov,
                config,
                env,
                self._path(str(script)),
            )
        pause_after = _seconds(config.get("pause_after") or 0)
        if pause_after:
            self.steps.append(_bash(f"{label}-pause-after", [f"sleep {pause_after}"]))

    def _shell_inline(
        self, label: str, prov: Provisioner, config: dict[str, Any], env: list[str], lines: list[str]
    ) -> None:
        shebang = str(config.get("inline_shebang") or "/bin/sh -e")
        words = shebang.split()
        interpreter = os.path.basename(words[0]) if words else "sh"
        if interpreter not in SHELLS:
            remote = f"{config.get('remote_folder') or '/tmp'}/{label}.script"
            script = "\n".join([f"#!{shebang}", *lines]) + "\n"
            self.steps.append(_bash(label, ["set -e", *env, *_run_file(remote, script)]))
            return
        flags = "".join(w.lstrip("-") for w in words[1:] if w.startswith("-") and w != "-")
        prologue = [f"set -{flags}"] if flags else []
        chunks: list[list[str]] = [[]]
        for line in lines:
            if REBOOT_LINE.match(line):
                chunks.append([])
            else:
                chunks[-1].append(line)
        for number, chunk in enumerate(chunks):
            name = label if number == 0 else f"{label}-after-reboot-{number}"
            if chunk:
                self.steps.append(_bash(name, [*prologue, *env, *chunk]))
            if number < len(chunks) - 1:
                self.steps.append({"name": f"{label}-reboot-{number + 1}", "action": "Reboot", "inputs": {}})
        if len(chunks) > 1 and not config.get("expect_disconnect"):
            self.warnings.append(
                ExportWarning(
                    "reboot",
                    "a reboot without expect_disconnect fails Packer's build; it is a Reboot step here",
                    prov.pos,
                )
            )

    def _shell_script(self, label: str, prov: Provisioner, config: dict[str, Any], env: list[str], path: Path) -> None:
        remote = f"{config.get('remote_folder') or '/tmp'}/{label}.sh"
        data = _read(path)
        if config.get("expect_disconnect"):
            self.warnings.append(
                ExportWarning(
                    "reboot",
                    f"script {path.name} may reboot (expect_disconnect): under AWSTOE a reboot must be a Reboot step "
                    "or exit status 194, or the build may fail",
                    prov.pos,
                )
            )
        text = self._inline_text(f"{label}:{path}", path, data)
        if text is not None:
            self.steps.append(_bash(label, ["set -e", *env, *_run_file(remote, text)]))
            return
        key = self._stage(f"{label}/{path.name}", path)
        self.steps.append(self._download(f"{label}-download", key, remote))
        self.steps.append(
            _bash(
                label,
                [
                    "set -e",
                    *env,
                    f"chmod +x {shlex.quote(remote)}",
                    shlex.quote(remote),
                    f"rm -f {shlex.quote(remote)}",
                ],
            )
        )

    # -- file ------------------------------------------------------------------------------------------------------
    def _file(self, label: str, prov: Provisioner, config: dict[str, Any]) -> None:
        if config.get("direction") == "download":
            self.warnings.append(
                ExportWarning(
                    "file-download",
                    "file provisioner with direction download: there is no workstation "
                    "to download to in Image Builder (an S3Upload step could keep the file)",
                    prov.pos,
                )
            )
            return
        if config.get("generated"):
            self.warnings.append(
                ExportWarning(
                    "file-generated",
                    "file provisioner with generated: the file does not exist at export time and cannot be staged",
                    prov.pos,
                )
            )
            return
        sources = list(config.get("sources") or [])
        if config.get("source") and config["source"] not in sources:  # Packer's prepare appends it to sources
            sources.insert(0, config["source"])
        destination = self._text(prov, str(config.get("destination") or ""), "destination")
        creates: list[dict[str, Any]] = []
        downloads: list[tuple[str, str]] = []
        folders: list[str] = []
        modes: list[dict[str, str]] = []
        for source in sources:
            local = self._path(str(source))
            if local.is_dir():
                root = destination if str(source).endswith("/") else _join(destination, local.name)
                folders.append(root)
                for dirpath, dirnames, filenames in sorted(os.walk(local)):
                    dirnames.sort()
                    rel = Path(dirpath).relative_to(local)
                    if str(rel) != ".":
                        folders.append(_join(root, str(rel)))
                    for filename in sorted(filenames):
                        file_path = Path(dirpath) / filename
                        target = _join(root, str(rel / filename) if str(rel) != "." else filename)
                        key = self._stage(f"{label}/{local.name}/{(rel / filename).as_posix()}", file_path)
                        downloads.append((key, target))
                        modes.append({"path": target, "permissions": _mode(file_path)})
                continue
            target = _join(destination, local.name) if destination.endswith("/") else destination
            text = self._inline_text(f"{label}:{local}", local, _read(local))
            if text is not None:
                item = {"path": target, "content": text, "permissions": _mode(local)}
                if self.ssh_username:
                    item["owner"] = self.ssh_username
                creates.append(item)
            else:
                key = self._stage(f"{label}/{local.name}", local)
                downloads.append((key, target))
                modes.append({"path": target, "permissions": _mode(local)})
        if folders:
            self.steps.append(
                {
                    "name": f"{label}-folders",
                    "action": "CreateFolder",
                    "inputs": [{"path": f} for f in dict.fromkeys(folders)],
                }
            )
        if creates:
            self.steps.append({"name": label, "action": "CreateFile", "inputs": creates})
        if downloads:
            self.steps.append(
                {
                    "name": f"{label}-download",
                    "action": "S3Download",
                    "inputs": [{"source": self._s3(key), "destination": dest} for key, dest in downloads],
                }
            )
            self.steps.append({"name": f"{label}-modes", "action": "SetFilePermissions", "inputs": modes})

    # -- ansible ---------------------------------------------------------------------------------------------------
    def _ansible(self, label: str, prov: Provisioner, config: dict[str, Any]) -> None:
        self._ansible_steps(label, prov, config, local=False)

    def _ansible_local(self, label: str, prov: Provisioner, config: dict[str, Any]) -> None:
        self._ansible_steps(label, prov, config, local=True)

    def _ansible_steps(self, label: str, prov: Provisioner, config: dict[str, Any], *, local: bool) -> None:
        folder = str(config.get("staging_directory") or "") if local else ""
        folder = folder or f"/tmp/packer-py-{label}"
        playbook = self._path(str(config.get("playbook_file") or ""))
        downloads: list[tuple[str, str]] = []
        if local and config.get("playbook_dir"):
            pdir = self._path(str(config["playbook_dir"]))
            for dirpath, dirnames, filenames in sorted(os.walk(pdir)):
                dirnames.sort()
                for filename in sorted(filenames):
                    file_path = Path(dirpath) / filename
                    rel = file_path.relative_to(pdir).as_posix()
                    downloads.append((self._stage(f"{label}/{rel}", file_path), f"{folder}/{rel}"))
        if playbook.name:
            downloads.append((self._stage(f"{label}/{playbook.name}", playbook), f"{folder}/{playbook.name}"))
        galaxy = str(config.get("galaxy_file") or "")
        if galaxy:
            gpath = self._path(galaxy)
            downloads.append((self._stage(f"{label}/{gpath.name}", gpath), f"{folder}/{gpath.name}"))
        for option in ("role_paths", "playbook_paths", "group_vars", "host_vars", "inventory_file"):
            if config.get(option):
                self.warnings.append(
                    ExportWarning(
                        "ansible-option",
                        f"{prov.type} {option} is not staged; add the files to the playbook directory",
                        prov.pos,
                    )
                )
        if not local and playbook.parent.is_dir():
            extras = sorted(
                p.name for p in playbook.parent.iterdir() if p.name not in {playbook.name, Path(galaxy).name}
            )
            if extras:
                self.warnings.append(
                    ExportWarning(
                        "ansible-files",
                        f"only playbook_file and galaxy_file are staged; {', '.join(extras)} beside the playbook "
                        "are not",
                        prov.pos,
                    )
                )
        self.steps.append(_bash(f"{label}-install", [INSTALL_ANSIBLE]))
        self.steps.append({"name": f"{label}-folder", "action": "CreateFolder", "inputs": [{"path": folder}]})
        # one S3Download step per file, as the seed's DownloadPlaybook / DownloadRequirements
        for number, (key, dest) in enumerate(downloads, start=1):
            self.steps.append(self._download(f"{label}-download-{number}", key, dest))
        env = [
            f"export {shell_quote(v)}"
            if "=" not in v
            else f"export {v.partition('=')[0]}={shell_quote(v.partition('=')[2])}"
            for v in config.get("ansible_env_vars") or []
        ]
        commands = ["set -e", f"cd {shlex.quote(folder)}", *env]
        galaxy_command = str(config.get("galaxy_command") or "ansible-galaxy")
        if galaxy:
            roles = str(config.get("roles_path") or "")
            command = f"{galaxy_command} install -r {shlex.quote(Path(galaxy).name)}"
            if roles:
                command += f" -p {shlex.quote(roles)}"
            commands.append(command)
        commands.append(self._inventory(config))
        extra_vars = f"packer_build_name={self.build_name} packer_builder_type={self.builder_type}"
        if local:
            command = str(config.get("command") or "ansible-playbook")
        else:
            command = "ansible-playbook"
            if config.get("command") and config["command"] != "ansible-playbook":
                self.warnings.append(
                    ExportWarning(
                        "ansible-command",
                        f"ansible command {config['command']!r} runs locally in "
                        "Packer; the instance runs ansible-playbook",
                        prov.pos,
                    )
                )
        arguments = " ".join(
            shlex.quote(self._text(prov, str(a), "extra_arguments")) for a in config.get("extra_arguments") or []
        )
        run = f"{command} -c local -i inventory --extra-vars {shlex.quote(extra_vars)}"
        if arguments:
            run += f" {arguments}"
        run += f" {shlex.quote(playbook.name)}"
        commands.append(run)
        self.steps.append(_bash(f"{label}-playbook", commands))
        self.notes.append((f"{prov.type} provisioner", "install Ansible, S3Download, ansible-playbook -c local"))

    def _inventory(self, config: dict[str, Any]) -> str:
        alias = str(config.get("host_alias") or "default")
        lines = [f"{alias} ansible_connection=local"]
        for group in config.get("groups") or config.get("inventory_groups") or []:
            lines += [f"[{group}]", alias]
        for group in config.get("empty_groups") or []:
            lines.append(f"[{group}]")
        return "cat > inventory <<'PACKER_PY_EOF'\n" + "\n".join(lines) + "\nPACKER_PY_EOF"

    # -- no equivalent ---------------------------------------------------------------------------------------------
    def _shell_local(self, label: str, prov: Provisioner, config: dict[str, Any]) -> None:
        self.warnings.append(
            ExportWarning(
                "provisioner-shell-local",
                "shell-local runs on the workstation, which an Image Builder build does not have: left out",
                prov.pos,
            )
        )

    def _breakpoint(self, label: str, prov: Provisioner, config: dict[str, Any]) -> None:
        self.warnings.append(
            ExportWarning(
                "provisioner-breakpoint", "breakpoint pauses for a person at the terminal: left out", prov.pos
            )
        )

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _text(self, prov: Provisioner, value: object, option: str) -> str:
        filled = self.values.fill_placeholders(str(value))
        for key in filled.unknown:
            self.warnings.append(
                ExportWarning(
                    "build-variable",
                    f"{prov.type} {option}: build variable {key} has no Image Builder equivalent; left empty",
                    prov.pos,
                )
            )
        if "{{" in filled.value:
            self.warnings.append(
                ExportWarning(
                    "awstoe-expression",
                    f"{prov.type} {option}: '{{{{' is AWSTOE's variable syntax; check {filled.value!r}",
                    prov.pos,
                )
            )
        return filled.value

    def _path(self, path: str) -> Path:
        return Path(path) if os.path.isabs(path) else self.cwd / path

    def _inline_text(self, payload_id: str, path: Path, data: bytes) -> str | None:
        """The file's text when it goes inline into the component, None when it is staged."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if len(data) > self.inline_limit or "\x00" in text:
            return None
        self.payloads.append(Payload(payload_id, path, len(data)))
        if payload_id in self.staged_ids:
            return None
        return text

    def _s3(self, key: str) -> str:
        return f"s3://{{{{ {STAGING_PARAMETER} }}}}/{self.prefix}{key}"

    def _download(self, name: str, key: str, destination: str) -> Step:
        return {"name": name, "action": "S3Download", "inputs": [{"source": self._s3(key), "destination": destination}]}

    def _stage(self, key: str, source: Path) -> str:
        self.staged.append(StagedFile(source, key))
        return key


def _seconds(value: object) -> int:
    """A Packer duration (``"30s"``, ``"5m"``, or nanoseconds once prepared) in whole seconds."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value // 1_000_000_000
    from packer_py.goparse import GoParseError, parse_duration

    try:
        return int(parse_duration(str(value))) // 1_000_000_000
    except GoParseError:
        return 0


def _bash(name: str, commands: list[str]) -> Step:
    return {"name": name, "action": "ExecuteBash", "inputs": {"commands": commands}}


def _run_file(remote: str, content: str) -> list[str]:
    """Write ``content`` to ``remote``, run it as Packer runs an uploaded script, and remove it."""
    delimiter = "PACKER_PY_EOF"
    while delimiter in content:
        delimiter += "_"
    body = content if content.endswith("\n") else content + "\n"
    quoted = shlex.quote(remote)
    return [f"cat > {quoted} <<'{delimiter}'\n{body}{delimiter}", f"chmod +x {quoted}", quoted, f"rm -f {quoted}"]


def _read(path: Path) -> bytes:
    from packer_py.imagebuilder.errors import ExportError

    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExportError("missing-file", f"{path}: {exc.strerror or exc}") from None


def _mode(path: Path) -> str:
    return f"{path.stat().st_mode & 0o777:o}".zfill(4)


def _join(folder: str, name: str) -> str:
    return folder.rstrip("/") + "/" + name if folder else name
