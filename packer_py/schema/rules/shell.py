"""The shell provisioner's ``Prepare`` (provisioner/shell/provisioner.go, Packer 1.6.6).

Defaults (``env_var_format``, ``execute_command``, ``/bin/sh -e``, 5m, ``/tmp``, ``script_<0-9998>.sh``), then:
script vs scripts, script vs inline, every script must exist (relative to the directory Packer runs in), and every
``environment_vars`` entry must be ``KEY=value``. An empty ``inline`` list counts as no inline script.
"""

from __future__ import annotations

from packer_py.goparse import MINUTE, Duration
from packer_py.schema.rules.files import stat
from packer_py.schema.rules.outcome import Checks, Prepared, RuleEnv, str_list

E_SCRIPT_AND_SCRIPTS = "E400"
E_NOTHING_TO_RUN = "E401"
E_SCRIPT_AND_INLINE = "E402"
E_BAD_SCRIPT = "E403"
E_ENV_VAR_FORMAT = "E404"


def env_var_errors(cfg: dict[str, object], checks: Checks, code: str) -> None:
    """Packer's check for ``environment_vars`` such as ``=foo`` or ``foobar``."""
    for index, entry in enumerate(str_list(cfg, "environment_vars")):
        key, sep, _ = entry.partition("=")
        if not sep or key == "":
            checks.error(code, f"Environment variable not in format 'key=value': {entry}", "environment_vars", index)


def prepare(cfg: dict[str, object], env: RuleEnv) -> Prepared:
    if cfg["env_var_format"] == "":
        cfg["env_var_format"] = "export %s='%s'\n" if cfg["use_env_var_file"] else "%s='%s' "
    if cfg["execute_command"] == "":
        cfg["execute_command"] = (
            "chmod +x {{.Path}}; . {{.EnvVarFile}} && {{.Path}}"
            if cfg["use_env_var_file"]
            else "chmod +x {{.Path}}; {{.Vars}} {{.Path}}"
        )
    if cfg["inline"] is not None and len(cfg["inline"]) == 0:  # type: ignore[arg-type]
        cfg["inline"] = None
    if cfg["inline_shebang"] == "":
        cfg["inline_shebang"] = "/bin/sh -e"
    if cfg["start_retry_timeout"] == 0:
        cfg["start_retry_timeout"] = Duration(5 * MINUTE)
    if cfg["remote_folder"] == "":
        cfg["remote_folder"] = "/tmp"
    if cfg["remote_file"] == "":
        cfg["remote_file"] = f"script_{env.rng.randrange(9999)}.sh"
    if cfg["remote_path"] == "":
        cfg["remote_path"] = f"{cfg['remote_folder']}/{cfg['remote_file']}"
    if cfg["scripts"] is None:
        cfg["scripts"] = []
    if cfg["environment_vars"] is None:
        cfg["environment_vars"] = []

    checks = Checks()
    scripts: list[str] = cfg["scripts"]  # type: ignore[assignment]
    if cfg["script"] != "" and scripts:
        checks.error(E_SCRIPT_AND_SCRIPTS, "Only one of script or scripts can be specified.", "scripts")
    script_key = "scripts"
    if cfg["script"] != "":
        cfg["scripts"] = scripts = [str(cfg["script"])]
        script_key = "script"
    if not scripts and cfg["inline"] is None:
        checks.error(E_NOTHING_TO_RUN, "Either a script file or inline script must be specified.")
    elif scripts and cfg["inline"] is not None:
        checks.error(
            E_SCRIPT_AND_INLINE, "Only a script file or an inline script can be specified, not both.", "inline"
        )
    for index, path in enumerate(scripts):
        problem = stat(path, env).error
        if problem is not None:
            where = (script_key,) if script_key == "script" else (script_key, index)
            checks.error(E_BAD_SCRIPT, f"Bad script '{path}': {problem}", *where)
    env_var_errors(cfg, checks, E_ENV_VAR_FORMAT)
    return Prepared.from_checks(cfg, checks)
