"""The registry: which functions exist where, what importing it costs, and the call protocol's diagnostics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from packer_py.interpolate.hcl.functions import (
    ExpressionFailed,
    FunctionCallError,
    FunctionContext,
    HclFunction,
    ThunkDiagnostic,
    functions_for,
    secrets,
)
from packer_py.interpolate.hcl.types import STRING
from packer_py.interpolate.hcl.values import Value, null_val, string_val
from tests.interpolate.hcl.functions.helpers_for_tests import call, py

ROOT = Path(__file__).resolve().parents[4]
NEWEST = [
    "alltrue",
    "anytrue",
    "aws_secretsmanager_raw",
    "base64gzip",
    "endswith",
    "filebase64",
    "legacy_isotime",
    "legacy_strftime",
    "regex",
    "regexall",
    "rfc3339_parse",
    "startswith",
    "strcontains",
    "sum",
    "templatefile",
    "textdecodebase64",
    "textencodebase64",
    "unix_timestamp_parse",
]


def test_newest_packer_function_set() -> None:
    names = set(functions_for())
    assert len(names) == 103  # 85 of Packer 1.6.6 + 18 added later (env comes only with allow_env)
    assert set(NEWEST) <= names
    assert "env" not in names


def test_env_only_where_allowed() -> None:
    ctx = FunctionContext(allow_env=True, environ={"FOO": "bar"})
    assert py("env", "FOO", context=ctx) == "bar"
    assert py("env", "MISSING", context=ctx) == ""


def test_registry_import_is_cheap_and_lazy() -> None:
    code = (
        "import sys, time; t = time.process_time();"
        "from packer_py.interpolate.hcl.functions import functions_for; functions_for();"
        "ms = (time.process_time() - t) * 1000;"
        "heavy = [m for m in ('yaml', 'bcrypt', 'boto3', 'botocore', 'cryptography', 'hcl2', 'lark') if m in sys.modules];"  # noqa: E501
        "print(__import__('json').dumps({'ms': ms, 'heavy': heavy}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    assert runs[-1]["heavy"] == []
    # CPU time, not wall time: the budget is 30 ms; shared CI machines get some slack
    assert min(r["ms"] for r in runs) < 60


def test_arity_messages() -> None:
    fns = functions_for()
    assert fns["lookup"].arity_error(2) == (
        "Not enough function arguments",
        'Function "lookup" expects 3 argument(s). Missing value for "default".',
    )
    assert fns["format"].arity_error(0) == (
        "Not enough function arguments",
        'Function "format" expects at least 1 argument(s). Missing value for "format".',
    )
    assert fns["upper"].arity_error(2) == (
        "Too many function arguments",
        'Function "upper" expects only 1 argument(s).',
    )
    assert fns["upper"].arity_error(1) is None


def test_diagnostics_name_the_parameter_or_the_function() -> None:
    upper = functions_for()["upper"]
    with pytest.raises(FunctionCallError) as info:
        upper.call([null_val(STRING)])
    assert upper.diagnostic(info.value) == (
        "Invalid function argument",
        'Invalid value for "str" parameter: argument must not be null.',
    )
    fmt = functions_for()["format"]
    with pytest.raises(FunctionCallError) as info:
        fmt.call([string_val("%d"), string_val("x")])
    assert fmt.diagnostic(info.value) == (
        "Error in function call",
        'Call to function "format" failed: unsupported value for "%d" at 0: a number is required.',
    )


def test_convert_args_reports_each_bad_argument() -> None:
    fn = functions_for()["cidrsubnet"]
    _, errors = fn.convert_args([string_val("10.0.0.0/8"), string_val("x"), string_val("y")])
    assert [(e.arg_index, e.message) for e in errors] == [(1, "a number is required"), (2, "a number is required")]


class _Thunk:
    def __init__(self, value: Value | None, diag: ThunkDiagnostic | None = None, unknown: bool = False) -> None:
        self.value, self.diag, self.unknown = value, diag, unknown

    def evaluate(self) -> Value:
        if self.value is None:
            assert self.diag is not None
            raise ExpressionFailed([self.diag])
        return self.value

    def depends_on_unknowns(self) -> bool:
        return self.unknown


def test_try_and_can_take_thunks() -> None:
    fns = functions_for()
    bad = _Thunk(None, ThunkDiagnostic("Unknown variable", 'There is no variable named "x".', "f.pkr.hcl:1,5-6"))
    assert fns["try"].call([bad, _Thunk(string_val("ok"))]) == string_val("ok")
    assert fns["can"].call([bad]).true() is False
    assert not fns["can"].call([_Thunk(None, unknown=True)]).is_known
    with pytest.raises(FunctionCallError) as info:
        fns["try"].call([bad])
    assert info.value.message == (
        'no expression succeeded:\n- Unknown variable (at f.pkr.hcl:1,5-6)\n  There is no variable named "x".\n'
        "\nAt least one expression must produce a successful result"
    )


class _Renderer:
    """Renders ``${name}`` references only: enough to test the templatefile protocol."""

    def referenced_roots(self, source: str, filename: str) -> Sequence[tuple[str, str]]:
        import re

        return [(m.group(1), f"{filename}:1,{m.start() + 3}-{m.end()}") for m in re.finditer(r"\$\{(\w+)\}", source)]

    def render(
        self, source: str, filename: str, variables: Mapping[str, Value], functions: Mapping[str, HclFunction]
    ) -> Value:
        import re

        assert "templatefile" in functions
        return string_val(re.sub(r"\$\{(\w+)\}", lambda m: variables[m.group(1)].as_string(), source))


def test_templatefile(tmp_path: Path) -> None:
    (tmp_path / "t.tmpl").write_text("Hello, ${name}!")
    ctx = FunctionContext(base_dir=str(tmp_path), render_template=_Renderer())
    assert py("templatefile", "t.tmpl", {"name": "World"}, context=ctx) == "Hello, World!"
    with pytest.raises(FunctionCallError, match='vars map does not contain key "name", referenced at t.tmpl:1,10-14'):
        call("templatefile", "t.tmpl", {}, context=ctx)
    with pytest.raises(FunctionCallError, match="invalid vars value: must be a map"):
        call("templatefile", "t.tmpl", "x", context=ctx)
    with pytest.raises(FunctionCallError, match='invalid template variable name "1x"'):
        call("templatefile", "t.tmpl", {"1x": "a"}, context=ctx)
    with pytest.raises(FunctionCallError, match="no file exists at"):
        call("templatefile", "missing.tmpl", {}, context=ctx)


def test_aws_secret_value_rules() -> None:
    assert secrets.secret_value("plain text", "") == "plain text"
    assert secrets.secret_value('{"only": "one"}', "") == "one"
    assert secrets.secret_value('{"a": "x", "b": 2}', "b") == "2"
    with pytest.raises(FunctionCallError, match="Secret has multiple values and no key was set"):
        secrets.secret_value('{"a": "x", "b": "y"}', "")
    with pytest.raises(FunctionCallError, match='No secret found for key "c"'):
        secrets.secret_value('{"a": "x"}', "c")


def test_aws_secretsmanager_uses_boto3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_fetch_secret_string", lambda name: '{"password": "hunter2"}' if name == "db" else "")
    assert py("aws_secretsmanager", "db", "password") == "hunter2"
    assert py("aws_secretsmanager", "db", None) == "hunter2"
    assert py("aws_secretsmanager_raw", "db") == '{"password": "hunter2"}'


def test_vault_and_consul_are_not_supported() -> None:
    with pytest.raises(FunctionCallError, match="the vault function is not supported by packer-py"):
        call("vault", "secret/x", "k")
    with pytest.raises(FunctionCallError, match="the consul_key function is not supported by packer-py"):
        call("consul_key", "k")
