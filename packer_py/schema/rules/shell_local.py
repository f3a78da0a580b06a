"""``shell_local.Validate`` (packer-plugin-sdk/shell-local/config.go, Packer 1.6.6), shared by the shell-local
provisioner and post-processor.

The post-processor first turns a one-element ``execute_command`` (the old string form) into ``sh -c <it>``.
Validation appends to a MultiError, except two checks that return a bare error on their own and discard what was
collected so far: an unknown ``only_on`` OS and (with ``use_linux_pathing``) a path that cannot be converted.
packer-py runs on Linux, so the non-Windows defaults apply.
"""

from __future__ import annotations

import os

from packer_py.schema.rules.files import stat
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv, RuleIssue, str_list
from packer_py.schema.rules.shell import env_var_errors

E_NOTHING_TO_RUN = "E500"
E_TOO_MANY = "E501"
E_BAD_SCRIPT = "E502"
E_ONLY_ON = "E503"
E_LINUX_PATHING_INLINE = "E504"
E_ENV_VAR_FORMAT = "E505"
E_LINUX_PATHING_PATH = "E506"

SUPPORTED_OS = ("darwin", "freebsd", "linux", "openbsd", "solaris", "windows")
TOO_MANY = (
    "You may only specify one of the following options: Command, Inline, Script or Scripts. Please consolidate "
    "these options in your config."
)


def _linux_path(abs_path: str) -> str | None:
    """``ConvertToLinuxPath``: ``C:/x`` -> ``/mnt/c/x``; None when there is no drive (always, on Linux)."""
    path = abs_path.replace("\\", "/")
    drive, sep, rest = path.partition(":/")
    return f"/mnt/{drive.lower()}/{rest}" if sep else None


def prepare(cfg: dict[str, object], env: RuleEnv, *, post_processor: bool = False) -> Prepared:
    if post_processor and len(cfg["execute_command"] or []) == 1:  # type: ignore[arg-type]
        cfg["execute_command"] = ["sh", "-c", *cfg["execute_command"]]  # type: ignore[misc]
    if cfg["inline_shebang"] == "":
        cfg["inline_shebang"] = "/bin/sh -e"
    if not cfg["execute_command"]:
        cfg["execute_command"] = ["/bin/sh", "-c", "{{.Vars}} {{.Script}}"]
    if cfg["scripts"] is None:
        cfg["scripts"] = []
    if cfg["environment_vars"] is None:
        cfg["environment_vars"] = []

    checks = Checks()
    inline: list[str] | None = cfg["inline"]  # type: ignore[assignment]
    scripts: list[str] = cfg["scripts"]  # type: ignore[assignment]
    command, script = cfg["command"], cfg["script"]
    if command == "" and not inline and not scripts and script == "":
        checks.error(E_NOTHING_TO_RUN, "Command, Inline, Script and Scripts options cannot all be empty.")
    if command != "":
        if inline or scripts or script != "":
            checks.error(E_TOO_MANY, TOO_MANY, "command")
        else:
            cfg["inline"] = inline = [str(command)]
    if script != "":
        if scripts or inline:
            checks.error(E_TOO_MANY, TOO_MANY, "script")
        else:
            cfg["scripts"] = scripts = [str(script)]
    if scripts and inline is not None:
        checks.error(E_TOO_MANY, TOO_MANY, "scripts")
    for index, path in enumerate(scripts):
        problem = stat(path, env).error
        if problem is not None:
            checks.error(E_BAD_SCRIPT, f"Bad script '{path}': {problem}", "scripts", index)
    for index, os_name in enumerate(str_list(cfg, "only_on")):
        if os_name not in SUPPORTED_OS:
            message = f"Invalid OS specified in only_on: '{os_name}'\nSupported OS names: {', '.join(SUPPORTED_OS)}"
            return Prepared(cfg, [RuleIssue(E_ONLY_ON, message, ("only_on", index))], message)
    if cfg["use_linux_pathing"]:
        for index, path in enumerate(scripts):
            absolute = os.path.normpath(os.path.join(env.cwd, path))
            converted = _linux_path(absolute)
            if converted is None:
                message = (
                    "There was an error splitting your absolute path; expected to find a drive following the "
                    f"format ':/' but did not: absolute path: {absolute}"
                )
                return Prepared(cfg, [RuleIssue(E_LINUX_PATHING_PATH, message, ("scripts", index))], message)
            scripts[index] = converted
        if inline:
            checks.error(
                E_LINUX_PATHING_INLINE,
                "Packer is unable to use the Command and Inline features with the Windows Linux Subsystem. Please "
                "use the Script or Scripts options instead",
                "use_linux_pathing",
            )
    if cfg["env_var_format"] == "":
        cfg["env_var_format"] = "%s='%s' "
    extension = cfg["tempfile_extension"]
    if isinstance(extension, str) and extension.startswith("."):
        cfg["tempfile_extension"] = extension[1:]
    env_var_errors(cfg, checks, E_ENV_VAR_FORMAT)
    return Prepared.from_checks(cfg, checks)
