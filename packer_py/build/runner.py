"""Packer's ``build`` command (``command/build.go`` and ``packer/build.go`` of Packer 1.6.6), for JSON and HCL2
templates alike (``packer_py.build.plan``).

Flow: initialize the template (errors → rc 1), prepare the selected builds (``-only``/``-except``: exact names for
JSON, globs over ``TYPE.NAME``/``BUILD.TYPE.NAME`` for HCL2; a build that fails to prepare is reported and the others
still run), give each build its UI (colour cycle with
``NAME: output will be in this color.`` lines and a blank line, then the timestamp wrapper), run the builds in
threads (``-parallel-builds``: 0 = all at once; 1 and ``-debug`` serial), print ``Build 'NAME' finished after D.``
or ``Build 'NAME' errored after D: ERR`` per build, ``==> Wait completed after D``, and the summary blocks. Exit
status 1 when a build failed or the run was interrupted.

One build (``CoreBuild.Run``): the builder runs its steps, calling the provision hook from ``StepProvision``; then
each post-processor chain runs on the builder's artifact. ``keep_input_artifact`` follows Packer: a post-processor
says whether it keeps its input and whether that overrides the user's ``false`` (manifest and shell-local force
the keep); the first post-processor of a chain decides whether the builder's artifact is listed, a later one
whether the previous artifact is listed; the last artifact of every chain is listed, so the null artifact is listed
twice after a manifest, as Packer lists it.

Interrupts: the CLI turns SIGINT/SIGTERM into ``cancel()`` (``Cancelling build after receiving interrupt``); every
build's steps see the cancel, clean up in reverse order (temporary AWS resources are deleted), and the command ends
with ``Cleanly cancelled builds after being interrupted.``. Unlike a plain Python program, a second signal does not
abort the cleanups: leaving temporary key pairs, security groups and instances behind costs more than waiting.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packer_py import gofmt
from packer_py.build.cancel import CancelEvent
from packer_py.build.durafmt import durafmt
from packer_py.build.interfaces import Artifact, BuildContext, Communicator, Provisioner, RunOptions
from packer_py.build.journal import Journal
from packer_py.build.provision import ProvisionHook, RepreparedPostProcessor, RepreparedProvisioner, wrap_provisioner
from packer_py.build.ui import COLORS, ColoredUi, TargetedUi, TimestampedUi
from packer_py.diagnostics import Diagnostic, has_errors, locations_wanted, render_all, render_locations
from packer_py.errors import BuildError, PackerPyError
from packer_py.ui import Masker, Ui

if TYPE_CHECKING:
    from packer_py.api import HclLoadedTemplate, LoadedTemplate
    from packer_py.build.plan import BuildPlan
    from packer_py.core import PreparedBuild, Reprepare

log = logging.getLogger("packer_py.build")

ON_ERROR_CHOICES = ("cleanup", "abort", "ask", "run-cleanup-provisioner")

SECRET_KEYS = (
    "ssh_password",
    "ssh_bastion_password",
    "ssh_proxy_password",
    "winrm_password",
    "secret_key",
    "token",
    "vault_aws_engine",
)
"""Builder settings whose values are secrets and are masked in every output, as sensitive variables are."""


@dataclass
class BuildOptions:
    """The ``packer build`` flags (other than ``-var``/``-var-file``, which bind the template)."""

    only: Sequence[str] = ()
    except_: Sequence[str] = ()
    parallel_builds: int = 0
    debug: bool = False
    force: bool = False
    on_error: str = "cleanup"
    timestamp_ui: bool = False
    color: bool = True
    machine_readable: bool = False

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR_CHOICES:
            choices = " ".join(f'"{c}"' for c in ON_ERROR_CHOICES)
            raise BuildError(f'invalid value "{self.on_error}" for flag -on-error: expected one of [{choices}]')


@dataclass
class BuildOutcome:
    """What one ``build`` run produced: artifacts per successful build, error text per failed build."""

    exit_code: int
    artifacts: dict[str, list[Artifact | None]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    cancelled: bool = False


class BuildRun:
    """One ``packer build`` invocation over a loaded template. ``cancel()`` is safe from a signal handler."""

    def __init__(
        self,
        template: LoadedTemplate | HclLoadedTemplate,
        options: BuildOptions,
        ui: Ui,
        *,
        masker: Masker | None = None,
        environ: Mapping[str, str] | None = None,
        cwd: str | None = None,
        journal_dir: str | None = None,
    ) -> None:
        self.template = template
        self.options = options
        self.ui = ui
        self.masker = masker if masker is not None else getattr(ui, "mask", None)
        self.environ = dict(os.environ if environ is None else environ)
        self.environ["PACKER_RUN_UUID"] = _run_uuid()  # Packer sets a new one for every run, as its main() does
        self.cwd = cwd
        self.cancel_event = CancelEvent()
        self._signals = 0
        self.journal_dir = journal_dir

    # -- interrupts -------------------------------------------------------------------------------------------------
    def cancel(self, signal_name: str = "interrupt") -> None:
        """Packer's ``handleTermInterrupt``: the first signal cancels every build; cleanups always run."""
        self._signals += 1
        if self._signals == 1:
            self.ui.error(f"Cancelling build after receiving {signal_name}")
            self.cancel_event.cancel()
        elif self._signals == 2:
            log.warning("second %s: cleanups still run so that no temporary resource is left behind", signal_name)
            self.ui.error(
                "Cleanups are still running: a second interrupt does not skip them, so that no temporary resource "
                "(AWS key pair, security group, instance) is left behind."
            )

    # -- the command ------------------------------------------------------------------------------------------------
    def _report_errors(self, diags: list[Diagnostic]) -> None:
        """Packer's text, then where each located finding sits in the template (unless ``PACKER_PY_LOCATIONS=0``)."""
        self.ui.error(render_all(diags))
        located = render_locations(diags, self.cwd) if locations_wanted(self.environ) else ""
        if located:
            self.ui.error(located)

    def run(self) -> BuildOutcome:
        from packer_py.build.plan import plan_for

        opts = self.options
        plan = plan_for(self.template, opts, self.environ, self.cwd)
        if not plan.ok:
            self._report_errors(plan.diagnostics)
            return BuildOutcome(1)
        self._add_secrets(plan.secrets)
        builds = plan.builds
        ret = 0
        text = render_all(plan.diagnostics)
        if text:
            if has_errors(plan.diagnostics):
                self._report_errors(plan.diagnostics)
                ret = 1
            else:
                self.ui.say(text)
        for build in builds:
            self._add_secrets(_config_secrets(build.builder_config))
        if opts.debug:
            self.ui.say("Debug mode enabled. Builds will not be parallelized.")
        uis: list[Ui] = []
        for i, build in enumerate(builds):
            ui: Ui = self.ui
            if opts.color and not opts.machine_readable:
                ui = ColoredUi(COLORS[i % len(COLORS)], ui, enabled=not self.environ.get("PACKER_NO_COLOR"))
                ui.say(f"{build.name}: output will be in this color.")
                if i + 1 == len(builds):
                    self.ui.say("")
            if opts.timestamp_ui:
                ui = TimestampedUi(ui)
            uis.append(ui)
        log.info("Build debug mode: %s", opts.debug)
        log.info("Force build: %s", opts.force)
        log.info("On error: %s", opts.on_error)

        outcome = BuildOutcome(ret)
        lock = threading.Lock()
        limit = threading.BoundedSemaphore(opts.parallel_builds) if opts.parallel_builds > 0 else None
        start = time.monotonic()
        threads: list[threading.Thread] = []

        def one(build: PreparedBuild, ui: Ui) -> None:
            name = build.name
            began = time.monotonic()
            try:
                log.info("Starting build run: %s", name)
                artifacts, error = self._run_build(plan, build, ui)
            except Exception as exc:  # a bug must still end in a report, and let the other builds finish
                log.exception("build %s crashed", name)
                artifacts, error = None, f"internal error: {exc!r}"
            finally:
                if limit is not None:
                    limit.release()
            took = durafmt(time.monotonic() - began)
            if error is not None:
                ui.error(f"Build '{name}' errored after {took}: {error}")
                with lock:
                    outcome.errors[name] = error
            else:
                ui.say(f"Build '{name}' finished after {took}.")
                if artifacts is not None:
                    with lock:
                        outcome.artifacts[name] = artifacts

        for build, ui in zip(builds, uis, strict=True):
            if self.cancel_event.is_set():
                log.info("Interrupted, not going to start any more builds.")
                break
            if limit is not None:
                acquired = False
                while not acquired and not self.cancel_event.is_set():
                    acquired = limit.acquire(timeout=0.2)
                if not acquired:
                    break
            t = threading.Thread(target=one, args=(build, ui), name=f"build-{build.name}", daemon=True)
            threads.append(t)
            t.start()
            if opts.debug or opts.parallel_builds == 1:
                _join(t)
        log.info("Waiting on builds to complete...")
        for t in threads:
            _join(t)

        self.ui.say(f"\n==> Wait completed after {durafmt(time.monotonic() - start)}")
        if self.cancel_event.is_set():
            self.ui.say("Cleanly cancelled builds after being interrupted.")
            outcome.cancelled = True
            outcome.exit_code = 1
            return outcome
        if outcome.errors:
            self.ui.machine("error-count", str(len(outcome.errors)))
            self.ui.error("\n==> Some builds didn't complete successfully and had errors:")
            for name in [b.name for b in builds if b.name in outcome.errors]:
                err = outcome.errors[name]
                TargetedUi(name, self.ui).machine("error", err)
                self.ui.error(f"--> {name}: {err}")
        if outcome.artifacts:
            self.ui.say("\n==> Builds finished. The artifacts of successful builds are:")
            for name in [b.name for b in builds if b.name in outcome.artifacts]:
                self._report_artifacts(name, outcome.artifacts[name])
        else:
            self.ui.say("\n==> Builds finished but no artifacts were created.")
        if outcome.errors:
            outcome.exit_code = 1
        return outcome

    def _report_artifacts(self, name: str, artifacts: list[Artifact | None]) -> None:
        target = TargetedUi(name, self.ui)
        target.machine("artifact-count", str(len(artifacts)))
        for i, artifact in enumerate(artifacts):
            idx = str(i)
            if artifact is not None:
                target.machine("artifact", idx, "builder-id", artifact.builder_id)
                target.machine("artifact", idx, "id", artifact.id())
                target.machine("artifact", idx, "string", str(artifact))
                files = artifact.files()
                target.machine("artifact", idx, "files-count", str(len(files)))
                for fi, f in enumerate(files):
                    target.machine("artifact", idx, "file", str(fi), f)
            else:
                target.machine("artifact", idx, "nil")
            target.machine("artifact", idx, "end")
            self.ui.say(f"--> {name}: {artifact if artifact is not None else '<nothing>'}")

    def _add_secrets(self, secrets: Sequence[str]) -> None:
        if self.masker is not None:
            self.masker.add(*secrets)

    # -- one build (CoreBuild.Run) ----------------------------------------------------------------------------------
    def _run_build(
        self, plan: BuildPlan, build: PreparedBuild, base_ui: Ui
    ) -> tuple[list[Artifact | None] | None, str | None]:
        from packer_py.builders import make_builder
        from packer_py.postprocessors import make_post_processor
        from packer_py.provisioners import make_provisioner

        opts = self.options
        comps = build.components
        name = build.name
        builder_type = comps.source.type
        ui = TargetedUi(name, base_ui)
        assert plan.render_context is not None
        render_ctx = plan.render_context(build)
        run_options = RunOptions(
            debug=opts.debug, force=opts.force, on_error=opts.on_error, run_uuid=self.environ["PACKER_RUN_UUID"]
        )
        environ = self.environ

        # An HCL2 component is made once from its prepared config (so that a type packer-py cannot run fails before
        # the build starts, as for JSON), then made again from its block decoded with the build's data when it runs.
        def provisioner(type_: str, config: Mapping[str, Any], reprepare: Reprepare | None) -> Provisioner:
            made = make_provisioner(type_, _with_packer_config(config, run_options), render_ctx, environ)
            if reprepare is None:
                return made
            return RepreparedProvisioner(
                reprepare,
                lambda cfg: make_provisioner(type_, _with_packer_config(cfg, run_options), render_ctx, environ),
            )

        def post_processor(type_: str, config: Mapping[str, Any], reprepare: Reprepare | None) -> Any:
            made = make_post_processor(type_, _with_packer_config(config, run_options), render_ctx)
            if reprepare is None:
                return made
            return RepreparedPostProcessor(
                reprepare, lambda cfg: make_post_processor(type_, _with_packer_config(cfg, run_options), render_ctx)
            )

        try:
            builder = make_builder(builder_type, _with_packer_config(build.builder_config, run_options))
            repreparers: list[Reprepare | None] = list(build.provisioner_hooks) or [None] * len(comps.provisioners)
            provisioners: list[Provisioner] = []
            for raw, cfg, again in zip(comps.provisioners, build.provisioner_configs, repreparers, strict=True):
                provisioners.append(_wrapped(plan, raw, provisioner(raw.type, cfg, again), opts.debug))
            cleanup: list[Provisioner] = []
            if comps.cleanup_provisioner is not None and build.cleanup_config is not None:
                raw = comps.cleanup_provisioner
                inner = provisioner(raw.type, build.cleanup_config, build.cleanup_hook)
                cleanup.append(_wrapped(plan, raw, inner, False))
            pp_hooks: list[list[Reprepare | None]] = [list(h) for h in build.post_processor_hooks] or [
                [None] * len(chain) for chain in comps.post_processors
            ]
            chains = [
                [
                    (pp, post_processor(pp.type, cfg, again))
                    for pp, cfg, again in zip(chain, cfgs, chain_hooks, strict=True)
                ]
                for chain, cfgs, chain_hooks in zip(
                    comps.post_processors, build.post_processor_configs, pp_hooks, strict=True
                )
            ]
        except PackerPyError as exc:
            return None, str(exc)
        cancel = self.cancel_event
        hook, cleanup_hook = ProvisionHook(provisioners), ProvisionHook(cleanup)

        def provision(comm: Communicator | None, data: dict[str, object]) -> None:
            hook.run(ui, comm, data, cancel)

        def cleanup_provision(comm: Communicator | None, data: dict[str, object]) -> None:
            cleanup_hook.run(ui, comm, data, cancel)

        def pause(message: str) -> None:
            try:
                ui.ask(message)
            except PackerPyError as exc:
                log.info("Error asking for input: %s", exc)

        ctx = BuildContext(
            name=name,
            builder_type=builder_type,
            ui=ui,
            options=run_options,
            cancel_event=cancel,
            journal=Journal(None),
            template_path=plan.template_path,
            user_variables=dict(plan.user_variables),
            provision=provision,
            cleanup_provision=cleanup_provision,
            pause=pause,
            environ=self.environ,
        )
        log.info("Running builder: %s", builder_type)
        try:
            artifact = builder.run(ctx)
        except PackerPyError as exc:
            return None, str(exc)
        if artifact is None:
            return None, None
        if cancel.is_set():
            log.info("Build was cancelled. Skipping post-processors.")
            return None, None
        return self._post_process(name, artifact, chains, base_ui, ui, ctx, hcl2=plan.hcl2)

    def _post_process(
        self,
        name: str,
        builder_artifact: Artifact,
        chains: list[list[tuple[Any, Any]]],
        base_ui: Ui,
        ui: TargetedUi,
        ctx: BuildContext,
        *,
        hcl2: bool = False,
    ) -> tuple[list[Artifact | None], str | None]:
        """``CoreBuild.Run``'s post-processing. The announcement compares the block's name with its type, as Packer
        does: a JSON post-processor's name defaults to its type, an unnamed HCL2 block's is empty
        (``Running post-processor:  (type shell-local)``)."""
        artifacts: list[Artifact | None] = []
        errors: list[str] = []
        keep_original = not chains
        for chain in chains:
            prior: Artifact | None = builder_artifact
            failed = False
            for i, (pp, impl) in enumerate(chain):
                pp_ui = TargetedUi(f"{name} ({pp.type})", base_ui)
                if pp.name == pp.type or (not pp.name and not hcl2):
                    ui.say(f"Running post-processor: {pp.type}")
                else:
                    ui.say(f"Running post-processor: {pp.name} (type {pp.type})")
                try:
                    assert prior is not None
                    result, default_keep, force = impl.post_process(pp_ui, prior, ctx)
                except PackerPyError as exc:
                    errors.append(f"Post-processor failed: {exc}")
                    failed = True
                    break
                if result is None:
                    log.info("Nil artifact, halting post-processor chain.")
                    failed = True
                    break
                keep = default_keep
                user_keep = pp.keep_input_artifact
                if user_keep is not None and not (default_keep and not user_keep and force):
                    keep = user_keep
                if i == 0:
                    if not keep_original and keep:
                        keep_original = True
                else:
                    if keep:
                        artifacts.append(prior)
                    else:
                        try:
                            assert prior is not None
                            prior.destroy()
                        except PackerPyError as exc:
                            errors.append(f"Failed cleaning up prior artifact: {exc}; pp is {pp.type}")
                prior = result
            if failed:
                continue
            if prior is not None:
                artifacts.append(prior)
        if keep_original:
            artifacts.insert(0, builder_artifact)
        else:
            try:
                builder_artifact.destroy()
            except PackerPyError as exc:
                errors.append(f"Error destroying builder artifact: {exc}; bad artifact: {builder_artifact.files()}")
        if errors:
            return artifacts, gofmt.packer_multi_error(errors)
        return artifacts, None


def _wrapped(plan: BuildPlan, raw: Any, inner: Provisioner, debug: bool) -> Provisioner:
    from packer_py.goparse import Duration, parse_duration

    def duration(text: str | None) -> Duration | None:
        if not text:
            return None
        try:
            return Duration(parse_duration(text))
        except Exception:  # prepare already rejected malformed durations
            return None

    return wrap_provisioner(
        inner,
        pause_before=duration(raw.pause_before),
        timeout=duration(raw.timeout),
        max_retries=plan.max_retries(raw),
        debug=debug,
    )


def _with_packer_config(config: Mapping[str, Any], options: RunOptions) -> dict[str, Any]:
    """The ``packer_*`` keys the command line sets (``PackerConfig``): debug, force, on_error."""
    out = dict(config)
    out["packer_debug"] = options.debug
    out["packer_force"] = options.force
    out["packer_on_error"] = options.on_error
    return out


def _config_secrets(config: Mapping[str, Any]) -> list[str]:
    out = [str(config[k]) for k in SECRET_KEYS if isinstance(config.get(k), str) and config.get(k)]
    key = config.get("ssh_private_key")
    if isinstance(key, str) and key:
        out.append(key)
    return out


def _run_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _join(t: threading.Thread) -> None:
    """Join in short waits, so that the main thread keeps handling signals."""
    while t.is_alive():
        t.join(0.2)
