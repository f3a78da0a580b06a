"""Packer 1.6.6's function library: what each function returns in which context."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from packer_py.errors import InterpolationError
from packer_py.interpolate.gotemplate import (
    CLEAN_RESOURCE_NAME,
    ExecError,
    ParseError,
    RenderContext,
    RunClock,
    clean_resource_name,
    has_actions,
    placeholder_data,
    render,
    render_until_stable,
)
from tests.harness.moto_server import MotoServer

FIXED = RunClock(datetime(2021, 1, 1, 12, 30, 45, 123456, tzinfo=UTC))
DATA = Path(__file__).resolve().parent / "data"


def test_timestamp_isotime_and_strftime_share_one_instant() -> None:
    ctx = RenderContext(clock=FIXED)
    assert render("{{ timestamp }}", ctx) == "1609504245"
    assert render("{{ isotime }}", ctx) == "2021-01-01T12:30:45Z"
    assert render('{{ isotime "2006-01-02 15:04:05.000" }}', ctx) == "2021-01-01 12:30:45.123"
    assert render('{{ strftime "%Y%m%d-%H%M%S" }}', ctx) == "20210101-123045"


def test_the_default_clock_is_one_instant_for_the_process() -> None:
    first = render("{{ timestamp }}", RenderContext())
    time.sleep(1.1)
    assert render("{{ timestamp }}", RenderContext()) == first


def test_run_clock_is_utc() -> None:
    assert RunClock.now().start.tzinfo is not None
    with pytest.raises(ValueError):
        RunClock(datetime(2021, 1, 1))


def test_uuid_is_time_ordered_and_injectable() -> None:
    value = render("{{ uuid }}", RenderContext())
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value)
    assert abs(int(value[:8], 16) - int(time.time())) < 5
    assert render("{{ uuid }}", RenderContext(uuid_factory=lambda: "fixed")) == "fixed"


def test_user_variables_and_env() -> None:
    assert render("{{ user `a` }}|{{ user `b` }}", RenderContext(user_variables={"a": "1"})) == "1|"
    ctx = RenderContext(enable_env=True, environ={"HOME": "/home/u"}, user_variables={"a": "1"})
    assert render("{{ env `HOME` }}{{ env `NOPE` }}", ctx) == "/home/u"
    with pytest.raises(ExecError, match="Error: variable not set: b"):
        render("{{ user `b` }}", ctx)
    with pytest.raises(ExecError, match="env vars are not allowed here"):
        render("{{ env `HOME` }}", RenderContext(environ={"HOME": "/x"}))


def test_template_dir_pwd_and_build_information(tmp_path: Path) -> None:
    ctx = RenderContext(template_path="sub/t.json", cwd=str(tmp_path))
    assert render("{{ template_dir }}", ctx) == str(tmp_path / "sub")
    assert render("{{ pwd }}", ctx) == str(tmp_path)
    with pytest.raises(ExecError, match="template path not available"):
        render("{{ template_dir }}", RenderContext())
    full = RenderContext(build_name="web", build_type="amazon-ebs", packer_version="1.6.6")
    assert render("{{ build_name }} {{ build_type }} {{ packer_version }}", full) == "web amazon-ebs 1.6.6"
    for name in ("build_name", "build_type", "packer_version"):
        with pytest.raises(ExecError, match=f"{name} not available"):
            render("{{ " + name + " }}", RenderContext())


def test_build_renders_placeholders_back_at_prepare_time() -> None:
    prepare = RenderContext(build_data=placeholder_data(("SourceAMI",)))
    assert render('{{ build "ID" }} {{ build "SourceAMI" }}', prepare) == "{{.ID}} {{.SourceAMI}}"
    assert render('{{ build "WinRMPassword" }}', prepare) == "{{.WinRMPassword}}"
    running = RenderContext(build_data={"ID": "i-0123", "Host": "10.0.0.1"})
    assert render('{{ build "ID" }}@{{ build "Host" }}', running) == "i-0123@10.0.0.1"
    with pytest.raises(ExecError, match="loaded data, but couldnt find Foo in it."):
        render('{{ build "Foo" }}', running)
    with pytest.raises(ExecError, match="Error validating build variable"):
        render('{{ build "ID" }}', RenderContext())
    assert render('{{ build "ID" }}', RenderContext(data={"ID": "from-dot"})) == "from-dot"


def test_data_fields() -> None:
    ctx = RenderContext(data={"Path": "/opt/script.sh", "Vars": "A=1", "Nested": {"X": "y"}})
    assert render("{{.Vars}} {{.Path}} {{.Nested.X}}", ctx) == "A=1 /opt/script.sh y"
    assert render("{{ .Missing }}", ctx) == "<no value>"


def test_string_functions() -> None:
    ctx = RenderContext()
    assert render('{{ split "a-b-c" "-" 2 }}', ctx) == "c"
    assert render('{{ replace "a" "b" 2 "aaa" }}|{{ replace_all "a" "b" "aaa" }}', ctx) == "bba|bbb"
    assert render('{{ upper "straße" }}|{{ lower "ΣΑΣ" }}', ctx) == "STRAßE|σασ"


def test_clean_resource_name_only_when_the_builder_provides_it() -> None:
    assert clean_resource_name("a:b/c é(x)") == "a-b/c --(x)"
    ctx = RenderContext(extra_funcs={"clean_resource_name": CLEAN_RESOURCE_NAME})
    assert render("{{ clean_resource_name `ami:{1}` }}", ctx) == "ami--1-"
    with pytest.raises(ParseError, match='function "clean_resource_name" not defined'):
        render("{{ clean_resource_name `x` }}", RenderContext())


def test_plain_python_functions_get_a_go_signature() -> None:
    def repeat(text: str, times: int) -> str:
        return text * times

    ctx = RenderContext(extra_funcs={"repeat": repeat})
    assert render("{{ repeat `ab` 3 }}", ctx) == "ababab"
    with pytest.raises(ExecError, match="wrong number of args for repeat: want 2 got 1"):
        render("{{ repeat `ab` }}", ctx)
    with pytest.raises(ExecError, match="expected integer"):
        render("{{ repeat `ab` `x` }}", ctx)


def test_secret_backends_only_in_the_variables_section() -> None:
    outside = RenderContext()
    for template, message in (
        ("{{ consul_key `k` }}", "consul_key is not allowed here"),
        ("{{ vault `p` `k` }}", "Vault vars are only allowed in the variables section"),
        ("{{ aws_secretsmanager `s` }}", "AWS Secrets Manager is only allowed in the variables section"),
    ):
        with pytest.raises(ExecError, match=re.escape(message)):
            render(template, outside)
    inside = RenderContext(in_variables=True, environ={"VAULT_TOKEN": "t"})
    with pytest.raises(ExecError, match="packer-py does not support Consul"):
        render("{{ consul_key `k` }}", inside)
    with pytest.raises(ExecError, match="packer-py does not support HashiCorp Vault"):
        render("{{ vault `p` `k` }}", inside)


def test_aws_secretsmanager_without_a_region_fails_as_in_corpus_case_008(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    with pytest.raises(ExecError) as info:
        render("{{ aws_secretsmanager `sample/app/password` }}", RenderContext(in_variables=True))
    packer = (DATA / "corpus-008-validate.out").read_text(encoding="utf-8")
    assert " ".join(packer.split()) == " ".join(("Error: " + str(info.value)).split())


def test_aws_secretsmanager_reads_plain_and_json_secrets(monkeypatch: pytest.MonkeyPatch, moto: MotoServer) -> None:
    for name, value in moto.aws_env().items():  # the SDK's own chain finds the moto server (AWS_ENDPOINT_URL)
        monkeypatch.setenv(name, value)
    client = moto.client("secretsmanager")
    client.create_secret(Name="plain", SecretString="hunter2")
    client.create_secret(Name="one", SecretString='{"only": "v1"}')
    client.create_secret(Name="many", SecretString='{"a": "1", "b": "2"}')
    ctx = RenderContext(in_variables=True)
    assert render("{{ aws_secretsmanager `plain` }}", ctx) == "hunter2"
    assert render("{{ aws_secretsmanager `one` }}", ctx) == "v1"
    assert render("{{ aws_secretsmanager `many` `b` }}", ctx) == "2"
    with pytest.raises(ExecError, match="Secret has multiple values and no key was set"):
        render("{{ aws_secretsmanager `many` }}", ctx)
    with pytest.raises(ExecError, match='No secret found for key "zz"'):
        render("{{ aws_secretsmanager `many` `zz` }}", ctx)
    with pytest.raises(ExecError, match="ResourceNotFoundException"):
        render("{{ aws_secretsmanager `absent` }}", ctx)


def test_render_until_stable_interprets_rendered_actions_again() -> None:
    ctx = RenderContext(clock=FIXED)
    assert render('{{ "{{timestamp}}" }}', ctx) == "{{timestamp}}"
    assert render_until_stable('{{ "{{timestamp}}" }}', ctx) == "1609504245"


def test_has_actions() -> None:
    assert has_actions("ami-{{timestamp}}")
    assert not has_actions("plain { text }")


def test_errors_are_interpolation_errors_never_tracebacks() -> None:
    for text in ("{{", "{{ 1 2 }}", "{{ index . 1 }}", "{{ printf }}", "{{ template `x` }}", "{{ ((((1 }}"):
        with pytest.raises(InterpolationError):
            render(text, RenderContext())


def test_importing_the_engine_does_not_load_boto3() -> None:
    code = (
        "import sys; from packer_py.interpolate.gotemplate import render, RenderContext; "
        "render('{{ upper `a` }}', RenderContext()); print('boto3' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
