"""``run-component``: run an AWSTOE component document on a host over SSH, with AWSTOE's semantics.

What is reproduced (EC2 Image Builder User Guide: toe-use-documents.md, toe-action-modules.md,
image-builder-looping-constructs.md, toe-user-defined-variables.md):

* phases run in document order (only the requested ones); steps in order; everything as root (``sudo -n`` unless
  the SSH user is root), as the SSM agent runs AWSTOE;
* ``{{ Parameter }}`` / ``{{ Constant }}`` and chaining (``{{ build.Download.inputs[0].destination }}``,
  ``{{ build.Step.outputs.stdout }}``) are resolved before a step runs; loops (``for``, ``forEach``) run the action per
  iteration, ``{{ loop.index }}`` / ``{{ loop.value }}`` inside, outputs joined with newlines;
* ``ExecuteBash``: all ``commands`` form one bash script, run once; its exit status is the step's; **194** asks for
  a reboot: the host is rebooted and the same step runs again. ``ExecuteBinary`` likewise;
* ``maxAttempts`` (default 1) reruns a failed step; ``timeoutSeconds`` (default 7200, -1 none) bounds each attempt;
* ``onFailure``: ``Abort`` (default) stops the document, which fails; ``Continue`` goes on but the document still
  fails; ``Ignore`` marks the step ``IgnoredFailure`` and the document ``SuccessWithIgnoredFailure``;
* the file modules (``CreateFile``, ``S3Download``, ``SetFilePermissions``...) with their documented defaults and
  errors; S3 goes through boto3 on this machine (the host needs no credentials); ``Reboot`` reboots and waits.

Steps report to ``log`` (one line each, plus the commands' output), and the run can be written as AWSTOE's
``detailedoutput.json``.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import shlex
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packer_py.build.interfaces import Communicator
from packer_py.errors import BuildError, PackerPyError
from packer_py.imagebuilder.document import CHAINING, EXPRESSION, ComponentDocument
from packer_py.imagebuilder.errors import ComponentRunError

if TYPE_CHECKING:
    from packer_py.communicator import SSHConfig

REBOOT_EXIT = 194
DEFAULT_TIMEOUT = 7200
SUCCESS, FAILED, IGNORED, SKIPPED = "Success", "Failed", "IgnoredFailure", "Skipped"


class StepFailure(PackerPyError):
    """One attempt of a step failed; the message is AWSTOE's failure message."""


class _RebootRequested(Exception):
    """An execute step exited 194: reboot, then run the same step again."""


@dataclass
class StepResult:
    phase: str
    name: str
    action: str
    status: str
    on_failure: str
    max_attempts: int
    timeout_seconds: int
    inputs: object = None
    outputs: dict[str, str] = field(default_factory=dict)
    failure_message: str = ""
    attempts: int = 0
    start: str = ""
    end: str = ""

    @property
    def summary(self) -> str:
        """``PHASE.STEP: STATUS``, with AWSTOE's failure message in parentheses when there is one."""
        return f"{self.phase}.{self.name}: {self.status}" + (
            f" ({self.failure_message})" if self.failure_message else ""
        )


@dataclass
class RunResult:
    status: str
    steps: list[StepResult]
    execution_id: str

    @property
    def ok(self) -> bool:
        return self.status in (SUCCESS, "SuccessWithIgnoredFailure")

    def detailed_output(self) -> dict[str, Any]:
        """AWSTOE's ``detailedoutput.json`` shape: per step, inputs and outputs as JSON strings."""
        return {
            "executionId": self.execution_id,
            "status": self.status,
            "failedStepCount": sum(s.status == FAILED for s in self.steps),
            "executedStepCount": sum(s.status != SKIPPED for s in self.steps),
            "ignoredFailedStepCount": sum(s.status == IGNORED for s in self.steps),
            "detailedOutput": [
                {
                    "phase": s.phase,
                    "name": s.name,
                    "action": s.action,
                    "status": s.status,
                    "failureMessage": s.failure_message,
                    "onFailure": s.on_failure,
                    "maxAttempts": s.max_attempts,
                    "timeoutSeconds": s.timeout_seconds,
                    "startTime": s.start,
                    "endTime": s.end,
                    "inputs": json.dumps(s.inputs),
                    "outputs": json.dumps(s.outputs),
                }
                for s in self.steps
            ],
        }

    def write_detailed_output(self, log_directory: Path) -> Path:
        """``detailedoutput.json`` in this run's own folder, ``TOE_<execution id>``, as AWSTOE's ``--log-directory``
        keeps one folder per run; returns the file written."""
        folder = log_directory / f"TOE_{self.execution_id}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "detailedoutput.json"
        path.write_text(json.dumps(self.detailed_output(), indent=2) + "\n")
        return path


S3ClientFactory = Callable[[], Any]


def _default_s3() -> Any:
    import boto3  # type: ignore[import-untyped]

    return boto3.client("s3")


@dataclass
class ToeRunner:
    """Runs documents on one host; ``use_sudo`` prefixes commands with ``sudo -n`` (not needed as root)."""

    comm: Communicator
    log: Callable[[str], None]
    use_sudo: bool = True
    workdir: str = field(default_factory=lambda: f"/tmp/packer-py-toe-{uuid.uuid4().hex[:12]}")
    """Where step scripts and downloads are staged on the host. Made for the run (mode 0700, owned by the SSH user)
    and removed after it, so the host keeps only what the document did, as under AWSTOE; a folder that already
    exists is used and left in place."""
    s3: S3ClientFactory = _default_s3
    reboot_wait: Callable[[], None] | None = None
    """Waits for the host after a reboot (default: the communicator's ``reconnect``)."""
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    sleep: Callable[[float], None] = time.sleep
    max_reboots: int = 10
    _s3_client: Any = None
    _counter: int = 0

    # -- document ------------------------------------------------------------------------------------------------
    def run(
        self,
        document: ComponentDocument,
        phases: Sequence[str] | None = None,
        parameters: Mapping[str, str] | None = None,
    ) -> RunResult:
        variables = self._variables(document, parameters or {})
        results: list[StepResult] = []
        created = self._make_workdir()
        try:
            status = self._run_phases(document, phases, variables, results)
        finally:
            if created:
                self._remove_workdir()
        self.log(f"Document {document.data.get('name', document.source)}: {status}")
        return RunResult(status, results, str(uuid.uuid4()))

    def _run_phases(
        self,
        document: ComponentDocument,
        phases: Sequence[str] | None,
        variables: dict[str, str],
        results: list[StepResult],
    ) -> str:
        history: dict[str, StepResult] = {}
        status = SUCCESS
        aborted = False
        wanted = list(phases) if phases else None
        for phase in document.phases:
            if wanted is not None and phase["name"] not in wanted:
                continue
            self.log(f"Phase {phase['name']}")
            for step in phase["steps"]:
                if aborted:
                    results.append(self._skipped(phase["name"], step))
                    continue
                result = self._run_step(phase["name"], step, variables, history)
                results.append(result)
                history[f"{phase['name']}.{step['name']}"] = result
                if result.status == FAILED:
                    status = FAILED
                    if result.on_failure == "Abort":
                        aborted = True
                elif result.status == IGNORED and status == SUCCESS:
                    status = "SuccessWithIgnoredFailure"
        return status

    def _make_workdir(self) -> bool:
        """Create the work folder as the SSH user; True when this run created it (and so removes it)."""
        folder = shlex.quote(self.workdir)
        code = self._sh(f"if [ -e {folder} ]; then exit 3; fi; mkdir -p -m 700 {folder}", sudo=False, check=False)
        if code == 3:
            self._sh(f"test -d {folder} && test -w {folder}", sudo=False, what=f"work folder {self.workdir}")
            return False
        if code != 0:
            raise ComponentRunError(f"cannot create the work folder {self.workdir} on the host (exit status {code})")
        return True

    def _remove_workdir(self) -> None:
        try:
            self._sh(f"rm -rf {shlex.quote(self.workdir)}", sudo=False, check=False)
        except BuildError as exc:  # the connection is gone: say what is left behind rather than hide the result
            self.log(f"could not remove the work folder {self.workdir} from the host: {exc}")

    def _variables(self, document: ComponentDocument, given: Mapping[str, str]) -> dict[str, str]:
        values: dict[str, str] = {}
        for name, default in document.parameters.items():
            if name in given:
                values[name] = given[name]
            elif default is not None:
                values[name] = default
            else:
                raise ComponentRunError(f"parameter {name} has no default: give it with --parameter {name}=VALUE")
        values.update(document.constants)
        return values

    def _skipped(self, phase: str, step: dict[str, Any]) -> StepResult:
        return StepResult(
            phase,
            step["name"],
            step["action"],
            SKIPPED,
            step.get("onFailure", "Abort"),
            int(step.get("maxAttempts", 1)),
            int(step.get("timeoutSeconds", DEFAULT_TIMEOUT)),
        )

    # -- one step ------------------------------------------------------------------------------------------------
    def _run_step(
        self, phase: str, step: dict[str, Any], variables: dict[str, str], history: dict[str, StepResult]
    ) -> StepResult:
        result = self._skipped(phase, step)
        result.start = self.now().isoformat()
        attempts_left = result.max_attempts
        reboots = 0
        while True:
            result.attempts += 1
            try:
                iterations = self._iterations(step.get("loop"), variables, history)
                inputs_all = []
                outputs: dict[str, list[str]] = {}
                for loop_vars in iterations:
                    inputs = resolve(step.get("inputs"), variables, history, loop_vars)
                    inputs_all.append(inputs)
                    self.log(f"  {phase}.{step['name']} ({step['action']})")
                    for key, value in self._action(step["action"], inputs, result.timeout_seconds).items():
                        outputs.setdefault(key, []).append(value)
                result.inputs = inputs_all[0] if len(inputs_all) == 1 else inputs_all
                result.outputs = {k: "\n".join(v) for k, v in outputs.items()}
                result.status = SUCCESS
                result.failure_message = ""
                break
            except _RebootRequested:
                reboots += 1
                result.attempts -= 1
                if reboots > self.max_reboots:
                    result.status, result.failure_message = FAILED, "too many reboot requests (exit status 194)"
                    break
                self._reboot()
                continue
            except (StepFailure, BuildError) as exc:  # a module's error, or the communicator's (a failed transfer)
                result.failure_message = str(exc)
                self.log(f"  {phase}.{step['name']} failed (attempt {result.attempts}): {exc}")
                attempts_left -= 1
                if attempts_left > 0:
                    continue
                result.status = IGNORED if result.on_failure == "Ignore" else FAILED
                break
        result.end = self.now().isoformat()
        return result

    def _iterations(
        self, loop: dict[str, Any] | None, variables: dict[str, str], history: dict[str, StepResult]
    ) -> list[dict[str, str]]:
        if not loop:
            return [{}]
        names = ["loop"] + ([loop["name"]] if loop.get("name") else [])
        values: list[str]
        if "for" in loop:
            spec = loop["for"]
            start, end, by = int(spec["start"]), int(spec["end"]), int(spec["updateBy"])
            if by == 0 or (by > 0 and start > end) or (by < 0 and start < end):
                raise StepFailure(f"loop for: start {start}, end {end}, updateBy {by} does not terminate")
            values = [str(v) for v in range(start, end + (1 if by > 0 else -1), by)]
        else:
            each = loop["forEach"]
            if isinstance(each, dict):
                text = resolve(each["list"], variables, history, {})
                values = str(text).split(each.get("delimiter", ","))
            else:
                values = [str(resolve(v, variables, history, {})) for v in each]
        out = []
        for index, value in enumerate(values):
            loop_vars = {}
            for name in names:
                loop_vars[f"{name}.index"] = str(index)
                loop_vars[f"{name}.value"] = value
            out.append(loop_vars)
        return out

    # -- actions -------------------------------------------------------------------------------------------------
    def _action(self, action: str, inputs: Any, timeout: int) -> dict[str, str]:
        handler = getattr(self, f"_do_{action}", None)
        if handler is None:
            raise StepFailure(f"action {action} is not supported by packer-py run-component")
        result: dict[str, str] = handler(inputs, None if timeout == -1 else timeout) or {}
        return result

    def _do_ExecuteBash(self, inputs: dict[str, Any], timeout: int | None) -> dict[str, str]:
        script = "\n".join(str(c) for c in inputs["commands"]) + "\n"
        path = self._upload(script.encode(), "sh")
        try:
            return self._execute(f"bash {shlex.quote(path)}", timeout)
        finally:
            self._sh(f"rm -f {shlex.quote(path)}", sudo=False, check=False)

    def _do_ExecuteBinary(self, inputs: dict[str, Any], timeout: int | None) -> dict[str, str]:
        command = " ".join(shlex.quote(str(a)) for a in [inputs["path"], *(inputs.get("arguments") or [])])
        return self._execute(command, timeout)

    def _execute(self, command: str, timeout: int | None) -> dict[str, str]:
        out: list[str] = []

        def stdout(line: str) -> None:
            out.append(line)
            self.log(f"    {line}")

        def stderr(line: str) -> None:
            self.log(f"    {line}")

        status = self._run(command, stdout, stderr, timeout)
        if status == REBOOT_EXIT:
            raise _RebootRequested()
        if status != 0:
            raise StepFailure(f"Failed to execute: exit status {status}")
        return {"stdout": "\n".join(out)}

    def _do_CreateFile(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            path = str(item["path"])
            content = _encode(str(item.get("content", "")), str(item.get("encoding", "utf8")))
            if item.get("overwrite") is False:
                self._refuse_existing(path, "CreateFile")
            temp = self._upload(content, "file")
            parent = posixpath.dirname(path) or "/"
            command = f"mkdir -p {shlex.quote(parent)} && cp {shlex.quote(temp)} {shlex.quote(path)}"
            command += self._ownership(path, item)
            self._sh(command + f"; rc=$?; rm -f {shlex.quote(temp)}; exit $rc", what=f"CreateFile {path}")

    def _do_AppendFile(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            path = str(item["path"])
            temp = self._upload(_encode(str(item.get("content", "")), str(item.get("encoding", "utf8"))), "file")
            self._sh(
                f"test -f {shlex.quote(path)} && cat {shlex.quote(temp)} >> {shlex.quote(path)}; rc=$?; "
                f"rm -f {shlex.quote(temp)}; exit $rc",
                what=f"AppendFile {path}: file does not exist",
            )

    def _do_ReadFile(self, items: list[dict[str, Any]], timeout: int | None) -> dict[str, str]:
        contents = []
        for item in items:
            out: list[str] = []
            status = self._run(f"cat {shlex.quote(str(item['path']))}", out.append, self.log, None)
            if status != 0:
                raise StepFailure(f"ReadFile: cannot read {item['path']}")
            contents.append("\n".join(out))
            if item.get("printFileContent"):
                for line in out:
                    self.log(f"    {line}")
        return {"content": "\n".join(contents)}

    def _do_CreateFolder(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            path = str(item["path"])
            if item.get("overwrite") is False:
                self._refuse_existing(path, "CreateFolder")
            self._sh(f"mkdir -p {shlex.quote(path)}" + self._ownership(path, item), what=f"CreateFolder {path}")

    def _do_DeleteFile(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            folder, name = posixpath.split(str(item["path"]))
            pattern = name if re.fullmatch(r"[\w.*?-]+", name) else shlex.quote(name)
            self._sh(f"cd {shlex.quote(folder or '/')} && rm -f -- {pattern}", what=f"DeleteFile {item['path']}")

    def _do_DeleteFolder(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            path = shlex.quote(str(item["path"]))
            command = f"rm -rf -- {path}" if item.get("force") else f"rmdir -- {path}"
            self._sh(command, what=f"DeleteFolder {item['path']} (not empty? use force: true)")

    def _copy(self, items: list[dict[str, Any]], verb: str, recursive: bool) -> None:
        for item in items:
            source, destination = str(item["source"]), str(item["destination"])
            folder = destination if destination.endswith("/") else posixpath.dirname(destination)
            flags = ("-R " if recursive and verb == "cp" else "") + ("" if item.get("overwrite", True) else "-n ")
            src = source if "*" in posixpath.basename(source) else shlex.quote(source)
            self._sh(
                f"mkdir -p {shlex.quote(folder or '/')} && {verb} {flags}{src} {shlex.quote(destination)}",
                what=f"{verb} {source} {destination}",
            )

    def _do_CopyFile(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        self._copy(items, "cp", False)

    def _do_MoveFile(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        self._copy(items, "mv", False)

    def _do_CopyFolder(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        self._copy(items, "cp", True)

    def _do_MoveFolder(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        self._copy(items, "mv", True)

    def _do_CreateSymlink(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            target, path = shlex.quote(str(item["target"])), shlex.quote(str(item["path"]))
            force = "f" if item.get("force") else ""
            self._sh(f"test -e {target} && ln -s{force} {target} {path}", what=f"CreateSymlink {item['path']}")

    def _do_SetFilePermissions(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            self._sh(
                f"chmod {_perm(item['permissions'])} {shlex.quote(str(item['path']))}",
                what=f"SetFilePermissions {item['path']}",
            )

    def _do_SetFolderPermissions(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            flag = "-R " if item.get("recursive", True) else ""
            self._sh(
                f"chmod {flag}{_perm(item['permissions'])} {shlex.quote(str(item['path']))}",
                what=f"SetFolderPermissions {item['path']}",
            )

    def _do_SetFileOwner(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            self._sh(f"chown {_owner(item)} {shlex.quote(str(item['path']))}", what=f"SetFileOwner {item['path']}")

    def _do_SetFolderOwner(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            flag = "-R " if item.get("recursive", True) else ""
            self._sh(
                f"chown {flag}{_owner(item)} {shlex.quote(str(item['path']))}", what=f"SetFolderOwner {item['path']}"
            )

    def _do_S3Download(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            bucket, key = _s3_url(str(item["source"]))
            destination = str(item["destination"])
            overwrite = item.get("overwrite", True)
            client = self._s3()
            if key.endswith("/*") or key == "*":
                prefix = key[:-1]
                keys = self._s3_keys(client, bucket, prefix)
                pairs = [(k, posixpath.join(destination, k[len(prefix) :])) for k in keys if not k.endswith("/")]
            else:
                pairs = [(key, destination)]
            for object_key, target in pairs:
                folder = posixpath.dirname(target) or "/"
                if key.endswith("/*"):
                    self._sh(f"mkdir -p {shlex.quote(folder)}", what=f"S3Download: mkdir {folder}")
                elif self._sh(f"test -d {shlex.quote(folder)}", check=False) != 0:
                    raise StepFailure(f"S3Download: destination folder {folder} does not exist")
                if not overwrite:
                    self._refuse_existing(target, "S3Download")
                data = self._s3_get(client, bucket, object_key)
                temp = self._upload(data, "s3")
                self._sh(
                    f"cp {shlex.quote(temp)} {shlex.quote(target)}; rc=$?; rm -f {shlex.quote(temp)}; exit $rc",
                    what=f"S3Download {target}",
                )

    def _do_S3Upload(self, items: list[dict[str, Any]], timeout: int | None) -> None:
        for item in items:
            bucket, key = _s3_url(str(item["destination"]))
            temp = f"{self.workdir}/upload-{self._next()}"
            source = str(item["source"])
            self._sh(
                f"cp {shlex.quote(source)} {shlex.quote(temp)} && chmod a+r {shlex.quote(temp)}",
                what=f"S3Upload: cannot read {source}",
            )
            buffer = io.BytesIO()
            self.comm.get(temp, buffer)
            self._sh(f"rm -f {shlex.quote(temp)}", check=False)
            target = key + posixpath.basename(source) if key.endswith("/") or not key else key
            self._s3_put(self._s3(), bucket, target, buffer.getvalue())

    def _do_WebDownload(self, items: list[dict[str, Any]], timeout: int | None) -> dict[str, str]:
        import hashlib
        import urllib.request

        written = []
        for item in items:
            url, destination = str(item["source"]), str(item["destination"])
            if destination.endswith("/"):
                destination += posixpath.basename(url.split("?")[0])
            try:
                with urllib.request.urlopen(url, timeout=timeout or 60) as response:  # noqa: S310 (http/https only)
                    data = response.read()
            except OSError as exc:
                raise StepFailure(f"WebDownload {url}: {exc}") from None
            if item.get("checksum"):
                digest = hashlib.new(str(item.get("algorithm", "SHA256")).lower().replace("-", ""), data).hexdigest()
                if digest.lower() != str(item["checksum"]).lower():
                    raise StepFailure(f"WebDownload {url}: checksum mismatch")
            if item.get("overwrite") is False:
                self._refuse_existing(destination, "WebDownload")
            temp = self._upload(data, "web")
            folder = posixpath.dirname(destination) or "/"
            self._sh(
                f"mkdir -p {shlex.quote(folder)} && cp {shlex.quote(temp)} {shlex.quote(destination)}; rc=$?; "
                f"rm -f {shlex.quote(temp)}; exit $rc",
                what=f"WebDownload {destination}",
            )
            written.append(destination)
        return {"destination": "\n".join(written)}

    def _do_UpdateOS(self, inputs: dict[str, Any] | None, timeout: int | None) -> dict[str, str]:
        inputs = inputs or {}
        include = " ".join(shlex.quote(p) for p in inputs.get("include") or [])
        exclude = " ".join(f"--exclude={shlex.quote(p)}" for p in inputs.get("exclude") or [])
        script = (
            "if command -v yum >/dev/null 2>&1; then yum -y update " + exclude + " " + include + "; "
            "elif command -v apt-get >/dev/null 2>&1; then export DEBIAN_FRONTEND=noninteractive; apt-get update && "
            + ("apt-get install -y --only-upgrade " + include if include else "apt-get -y upgrade")
            + "; else echo 'UpdateOS: neither yum nor apt-get' >&2; exit 1; fi"
        )
        return self._do_ExecuteBash({"commands": [script]}, timeout)

    def _do_Reboot(self, inputs: dict[str, Any] | None, timeout: int | None) -> None:
        delay = int((inputs or {}).get("delaySeconds", 0))
        if delay:
            self.sleep(delay)
        self._reboot()

    # -- host helpers ----------------------------------------------------------------------------------------------
    def _reboot(self) -> None:
        self.log("  rebooting the host")
        try:  # the connection drops while the command runs: no exit status is expected
            self.comm.run(self._prefix("shutdown -r now || reboot"), on_stdout=self.log, on_stderr=self.log, timeout=60)
        except BuildError:
            pass
        if self.reboot_wait is not None:
            self.reboot_wait()
            return
        reconnect = getattr(self.comm, "reconnect", None)
        if reconnect is None:
            raise StepFailure("Reboot: the communicator cannot reconnect")
        self.sleep(5)
        reconnect()

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def _upload(self, data: bytes, kind: str) -> str:
        path = f"{self.workdir}/{kind}-{self._next()}"
        self.comm.put(io.BytesIO(data), path, mode=0o644)
        return path

    def _prefix(self, command: str, sudo: bool = True) -> str:
        if sudo and self.use_sudo:
            return f"sudo -n bash -c {shlex.quote(command)}"
        return command

    def _run(
        self, command: str, on_stdout: Callable[[str], None], on_stderr: Callable[[str], None], timeout: int | None
    ) -> int:
        try:
            result = self.comm.run(self._prefix(command), on_stdout=on_stdout, on_stderr=on_stderr, timeout=timeout)
        except BuildError as exc:
            raise StepFailure(str(exc)) from None
        status = getattr(result, "exit_status", result)
        if status is None:
            raise StepFailure("the connection dropped before the command finished")
        return int(status)

    def _sh(self, command: str, *, sudo: bool = True, check: bool = True, what: str = "") -> int:
        errors: list[str] = []
        result = self.comm.run(self._prefix(command, sudo), on_stdout=lambda _l: None, on_stderr=errors.append)
        status = getattr(result, "exit_status", result)
        if check and status != 0:
            detail = "; ".join(errors[-3:])
            raise StepFailure(f"{what or command}: exit status {status}" + (f" ({detail})" if detail else ""))
        return int(status if status is not None else -1)

    def _refuse_existing(self, path: str, action: str) -> None:
        if self._sh(f"test -e {shlex.quote(path)}", check=False) == 0:
            raise StepFailure(
                f'{action}: File already exists and "overwrite" property for "destination" file is set to false. '
                "Cannot download."
                if action == "S3Download"
                else f"{action}: {path} exists and overwrite is false"
            )

    def _ownership(self, path: str, item: dict[str, Any]) -> str:
        command = ""
        if item.get("permissions"):
            command += f" && chmod {_perm(item['permissions'])} {shlex.quote(path)}"
        if item.get("owner") or item.get("group"):
            command += f" && chown {_owner(item)} {shlex.quote(path)}"
        return command

    # -- S3 (boto3 on this machine; translated once) -------------------------------------------------------------
    def _s3(self) -> Any:
        if self._s3_client is None:
            self._s3_client = self.s3()
        return self._s3_client

    def _s3_get(self, client: Any, bucket: str, key: str) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

        try:
            data: bytes = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (ClientError, BotoCoreError) as exc:
            raise StepFailure(f"S3Download s3://{bucket}/{key}: {exc}") from None
        return data

    def _s3_put(self, client: Any, bucket: str, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            client.put_object(Bucket=bucket, Key=key, Body=data)
        except (ClientError, BotoCoreError) as exc:
            raise StepFailure(f"S3Upload s3://{bucket}/{key}: {exc}") from None

    def _s3_keys(self, client: Any, bucket: str, prefix: str) -> list[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        keys: list[str] = []
        try:
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                keys += [item["Key"] for item in page.get("Contents", [])]
        except (ClientError, BotoCoreError) as exc:
            raise StepFailure(f"S3Download s3://{bucket}/{prefix}*: {exc}") from None
        if len(keys) > 1000:
            raise StepFailure("S3Download: a prefix download is limited to 1000 objects")
        return keys


def run_on_host(
    document: ComponentDocument,
    config: SSHConfig,
    *,
    phases: Sequence[str] | None = None,
    parameters: Mapping[str, str] | None = None,
    sudo: bool | None = None,
    log: Callable[[str], None],
) -> RunResult:
    """``run-component``: ``document`` run on the host ``config`` reaches, over one SSH connection closed afterwards.

    Image Builder runs AWSTOE as root (through the SSM agent), so commands get ``sudo -n`` unless the SSH user is
    root (``sudo=None``) or as ``sudo`` says."""
    from packer_py.communicator import SSHCommunicator

    use_sudo = (config.ssh_username != "root") if sudo is None else sudo
    with SSHCommunicator(config) as comm:
        return ToeRunner(comm, log, use_sudo=use_sudo).run(document, phases, parameters)


def resolve(
    value: Any, variables: Mapping[str, str], history: Mapping[str, StepResult], loop: Mapping[str, str]
) -> Any:
    """Replace ``{{ ... }}`` in every string of ``value``; unknown expressions are left as they are (as AWSTOE does)."""
    if isinstance(value, str):
        return EXPRESSION.sub(lambda m: _lookup(m.group(1), m.group(0), variables, history, loop), value)
    if isinstance(value, list):
        return [resolve(v, variables, history, loop) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, variables, history, loop) for k, v in value.items()}
    return value


def _lookup(
    expr: str, original: str, variables: Mapping[str, str], history: Mapping[str, StepResult], loop: Mapping[str, str]
) -> str:
    if expr in loop:
        return loop[expr]
    if expr in variables:
        return variables[expr]
    match = CHAINING.match(expr)
    if match is None:
        return original
    step = history.get(f"{match['phase']}.{match['step']}")
    if step is None:
        return original
    if match["kind"] == "outputs":
        return step.outputs.get(match["key"] or "", original)
    inputs = step.inputs
    if match["index"] is not None:
        if not isinstance(inputs, list) or int(match["index"]) >= len(inputs):
            return original
        inputs = inputs[int(match["index"])]
    if isinstance(inputs, dict) and match["key"] in inputs:
        return str(inputs[match["key"]])
    return original


def _s3_url(url: str) -> tuple[str, str]:
    if not url.startswith("s3://"):
        raise StepFailure(f"{url!r} is not an s3:// URL")
    bucket, _, key = url[5:].partition("/")
    return bucket, key


def _perm(value: object) -> str:
    text = str(value)
    if not re.fullmatch(r"[0-7]{3,4}", text):
        raise StepFailure(f"permissions {text!r} must be an octal string such as '0644'")
    return text


def _owner(item: Mapping[str, Any]) -> str:
    owner = str(item.get("owner") or "")
    group = str(item.get("group") or "")
    return shlex.quote(f"{owner}:{group}" if group else owner)


def _encode(text: str, encoding: str) -> bytes:
    name = encoding.lower().replace("-", "")
    codec = {
        "utf8": "utf-8",
        "utf16": "utf-16-le",
        "utf16le": "utf-16-le",
        "utf16be": "utf-16-be",
        "utf32": "utf-32-le",
        "utf32le": "utf-32-le",
        "utf32be": "utf-32-be",
    }.get(name)
    if codec is None:
        raise StepFailure(f"encoding {encoding!r} is not supported")
    return text.encode(codec)
