"""The environment a shell script runs with, flattened as Packer's shell and shell-local do.

``PACKER_BUILD_NAME`` and ``PACKER_BUILDER_TYPE`` always, ``PACKER_HTTP_*`` when the builder serves HTTP (never for
null or amazon-ebs), then ``environment_vars`` (``K=V``; a later key wins); each value's ``'`` becomes ``'"'"'``;
keys sorted; each pair printed with ``env_var_format`` (default ``%s='%s' ``, so ``{{.Vars}}`` ends with a space
and the default execute_command has two spaces before the path).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packer_py.build.provision import HTTP_ADDR_NOT_IMPLEMENTED, HTTP_IP_NOT_IMPLEMENTED, HTTP_PORT_NOT_IMPLEMENTED


def escaped_env(
    build_name: str, builder_type: str, data: Mapping[str, object], pairs: Sequence[str], extra: Mapping[str, str]
) -> dict[str, str]:
    env: dict[str, str] = {"PACKER_BUILD_NAME": build_name, "PACKER_BUILDER_TYPE": builder_type}
    for key, missing in (
        ("PackerHTTPAddr", HTTP_ADDR_NOT_IMPLEMENTED),
        ("PackerHTTPIP", HTTP_IP_NOT_IMPLEMENTED),
        ("PackerHTTPPort", HTTP_PORT_NOT_IMPLEMENTED),
    ):
        value = data.get(key)
        if value is not None and value != missing:
            env["PACKER_HTTP_" + key[len("PackerHTTP") :].upper()] = str(value)
    for pair in pairs:
        key, _, value = pair.partition("=")
        env[key] = value.replace("'", "'\"'\"'")
    for key, value in extra.items():
        env[key] = value.replace("'", "'\"'\"'")
    return {k: env[k] for k in sorted(env)}


def go_sprintf(fmt: str, key: str, value: str) -> str:
    """``fmt.Sprintf(env_var_format, key, value)`` for the verbs an env_var_format uses (``%s``, ``%q``, ``%%``)."""
    from packer_py import gofmt

    out: list[str] = []
    args = [key, value]
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            verb = fmt[i + 1]
            i += 2
            if verb == "%":
                out.append("%")
            elif args:
                arg = args.pop(0)
                out.append(gofmt.quote(arg) if verb == "q" else arg)
            else:
                out.append(f"%!{verb}(MISSING)")
            continue
        out.append(ch)
        i += 1
    if args:
        out.append("%!(EXTRA " + ", ".join(f"string={a}" for a in args) + ")")
    return "".join(out)


def flatten(env: Mapping[str, str], fmt: str) -> str:
    return "".join(go_sprintf(fmt, k, v) for k, v in env.items())


def check_exit_code(code: int, valid: Sequence[int] | None) -> None:
    """``ValidExitCode``: ``Script exited with non-zero exit status: 3.Allowed exit codes are: [0]`` (sic)."""
    from packer_py.errors import BuildError

    allowed = list(valid) if valid else [0]
    if code not in allowed:
        raise BuildError(
            f"Script exited with non-zero exit status: {code}.Allowed exit codes are: [{' '.join(map(str, allowed))}]"
        )


def clean_output_line(line: str) -> str:
    """``RemoteCmd.cleanOutputLine``: trim trailing whitespace, keep what follows the last carriage return."""
    line = line.rstrip()
    idx = line.rfind("\r")
    return line[idx + 1 :] if idx >= 0 else line
