"""``packer-py build -local``: an ordinary ``BuildRun`` inside a ``LocalSession``.

Before the run, every amazon-ebs builder of the (in-memory copy of the) template gets the session's endpoint and SSH
address as ``custom_endpoint_ec2``/``ssh_host``/``ssh_port``, the builds' source images are registered in the embedded
EC2, and S3 objects the provisioners' commands name get placeholders. The environment carries the endpoint
(``AWS_ENDPOINT_URL``) and dummy credentials for the SDK's credential chain. After the run, each AMI the build
registered is listed with its layer tarball and ``packer-py local diff`` hint.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packer_py.local.cloud import SourceImage
from packer_py.local.session import LocalSession, s3_references, source_image_of
from packer_py.template.model import Template

if TYPE_CHECKING:
    from packer_py.api import HclLoadedTemplate, LoadedTemplate
    from packer_py.build.runner import BuildOptions, BuildOutcome, BuildRun
    from packer_py.ui import Ui

LOCAL_BUILDERS = ("amazon-ebs",)
ACCOUNT_NETWORK = (
    "vpc_id",
    "subnet_id",
    "security_group_id",
    "security_group_ids",
    "vpc_filter",
    "subnet_filter",
    "security_group_filter",
)
"""Options naming resources of a real AWS account. The embedded EC2 has none of them (moto picks its own ids), so a
local build leaves them out and uses its default VPC, subnet and a temporary security group, as Packer does when
they are not set."""
_PREFIX = "==> local mode: "


@contextmanager
def _environ(values: Mapping[str, str]) -> Iterator[None]:
    """``values`` in ``os.environ`` for the run: an SDK that reads the process environment finds them too."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def with_overrides(
    template: LoadedTemplate | HclLoadedTemplate, overrides: Mapping[str, object]
) -> LoadedTemplate | HclLoadedTemplate:
    """A copy of ``template`` whose local-mode builders carry ``overrides`` (the caller's template is unchanged).

    A JSON template gets them in its builders' settings; an HCL2 config replaces its prepared builder settings with
    them (``HclLoadedTemplate.overrides``), as its blocks are expressions, not settings."""
    from dataclasses import replace

    from packer_py.api import LoadedTemplate

    if not isinstance(template, LoadedTemplate):
        return replace(template, overrides={t: dict(overrides) for t in LOCAL_BUILDERS})
    model = copy.deepcopy(template.template)  # one copy, so builds still share their sources with ``sources``
    for source in model.sources.values():
        if source.type in LOCAL_BUILDERS:
            source.config.update(overrides)  # type: ignore[arg-type]
    return replace(template, template=model)


def _provisioner_texts(template: LoadedTemplate | HclLoadedTemplate) -> list[str]:
    """The provisioners' settings and the scripts they upload: where ``s3://`` references are looked for."""
    texts: list[str] = []
    base = Path(template.path).parent if template.path else Path(".")
    model = template.template if isinstance(template.template, Template) else template.template()  # HCL2: a method
    for build in model.builds:
        for prov in build.provisioners:
            texts.append(json.dumps(prov.config))
            scripts = prov.config.get("scripts") or []
            script = prov.config.get("script")
            for item in [script, *scripts] if isinstance(scripts, list) else [script]:
                if isinstance(item, str) and item and "{{" not in item:
                    try:
                        texts.append((base / item).read_text(errors="replace"))
                    except OSError:
                        pass
    return texts


class LocalBuildRun:
    """Like ``BuildRun`` (``run()``, ``cancel()``), with the session started in ``run()`` and closed after it."""

    def __init__(
        self,
        template: LoadedTemplate | HclLoadedTemplate,
        options: BuildOptions,
        ui: Ui,
        *,
        directory: Path | None = None,
    ) -> None:
        self.template = template
        self.options = options
        self.ui = ui
        self.directory = directory
        self._run: BuildRun | None = None
        self._cancelled: str | None = None
        self._lock = threading.Lock()

    def cancel(self, signal_name: str = "interrupt") -> None:
        with self._lock:
            if self._run is not None:
                self._run.cancel(signal_name)
            else:
                self._cancelled = signal_name

    def run(self) -> BuildOutcome:
        from packer_py.build.runner import BuildOutcome, BuildRun

        session = LocalSession.start(self.directory)
        try:
            local = with_overrides(self.template, session.builder_overrides())
            for line in self._seed(session, local):
                self.ui.say(_PREFIX + line)
            env = {**(dict(local.environ) if local.environ is not None else dict(os.environ)), **session.environ()}
            with _environ(session.environ()):
                with self._lock:
                    if self._cancelled is not None:
                        return BuildOutcome(1, cancelled=True)
                    self._run = BuildRun(local, self.options, self.ui, environ=env)
                outcome = self._run.run()
            for image_id in session.instances.saved:
                record = session.instances.images.get(image_id)
                layer = _shown(session.instances.images.directory / record.layer)
                self.ui.say(
                    f"{_PREFIX}{record.region}: {image_id}: {len(record.changes)} changed paths kept in {layer} "
                    f"(packer-py local diff {image_id})"
                )
            return outcome
        finally:
            session.close()

    def _seed(self, session: LocalSession, local: LoadedTemplate | HclLoadedTemplate) -> list[str]:
        said = list(session.notes)
        said += [
            f"AWS is an embedded moto endpoint at {session.cloud.endpoint}; instances are namespaces on this host "
            f"({session.isolation.kind}) reached over SSH at {session.ssh.host}:{session.ssh.port}; sandbox "
            f"{_shown(session.directory)}"
        ]
        if session.isolation.kind == "userns":
            said.append(
                "not running as root: commands run in a user namespace, where directories the host's root owns "
                "below the top level (/usr/local, /etc/httpd, ...) are read-only; run as root for a full build"
            )
        images: list[SourceImage] = []
        regions: list[str] = []
        from packer_py.build.plan import plan_for

        environ = dict(local.environ) if local.environ is not None else dict(os.environ)
        try:
            builds = plan_for(local, self.options, environ, None).builds
        except Exception:  # the build itself reports template errors, in Packer's words
            builds = []
        for build in builds:
            if build.components.source.type not in LOCAL_BUILDERS:
                continue
            image = source_image_of(build.builder_config)
            if image is not None and image not in images:
                images.append(image)
            cfg = build.builder_config
            region = str(cfg.get("region") or "")
            if region and region not in regions:
                regions.append(region)
            said += _stand_ins(session, build)
            key_file = str(cfg.get("ssh_private_key_file") or "")
            if region and key_file:
                note = session.authorize_private_key(region, key_file, str(cfg.get("ssh_keypair_name") or ""))
                if note:
                    said.append(note)
        said += session.register_source_images(images)
        refs = s3_references(_provisioner_texts(local))
        if refs:
            said += session.create_s3_placeholders(refs, regions[0] if regions else "us-east-1")
        return said


def _set(value: object) -> bool:
    """Whether a prepared option was given (filters decode to structures of empty values when absent)."""
    if isinstance(value, Mapping):
        return any(_set(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_set(v) for v in value)
    return bool(value)


def _stand_ins(session: LocalSession, build: Any) -> list[str]:
    """Make the options a build names from its AWS account work locally; returns what to tell the user."""
    said: list[str] = []
    cfg, source = build.builder_config, build.components.source
    dropped = [key for key in ACCOUNT_NETWORK if _set(cfg.get(key)) and key in source.config]
    for key in dropped:
        del source.config[key]  # the local copy of the template (the one the build runs)
    if dropped:
        said.append(
            f"{source.name}: left out {', '.join(dropped)}: the embedded EC2 has only its default VPC and subnet "
            "(a temporary security group is created, as without them)"
        )
    profile = str(cfg.get("iam_instance_profile") or "")
    if profile:
        note = session.ensure_instance_profile(profile)
        if note:
            said.append(note)
    return said


def _shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (as the user would type it)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def local_build_run(
    template: LoadedTemplate | HclLoadedTemplate, options: BuildOptions, ui: Ui, *, directory: Path | None = None
) -> LocalBuildRun:
    return LocalBuildRun(template, options, ui, directory=directory)
