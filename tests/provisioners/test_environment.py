from __future__ import annotations

import pytest

from packer_py.errors import BuildError
from packer_py.provisioners.environment import check_exit_code, clean_output_line, escaped_env, flatten
from packer_py.provisioners.shell import unix_text


def test_env_sorted_quoted_and_flattened_as_packer() -> None:
    env = escaped_env(
        "b", "null", {"PackerHTTPAddr": "ERR_HTTP_ADDR_NOT_IMPLEMENTED_BY_BUILDER"}, ["Z=it's", "A=x=y"], {}
    )
    assert list(env) == ["A", "PACKER_BUILDER_TYPE", "PACKER_BUILD_NAME", "Z"]
    assert flatten(env, "%s='%s' ") == "A='x=y' PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='b' Z='it'\"'\"'s' "
    assert flatten({"K": "v"}, "export %s='%s'\n") == "export K='v'\n"


def test_http_vars_only_when_the_builder_serves_http() -> None:
    env = escaped_env("b", "t", {"PackerHTTPAddr": "1.2.3.4:80", "PackerHTTPPort": "80"}, [], {})
    assert env["PACKER_HTTP_ADDR"] == "1.2.3.4:80" and env["PACKER_HTTP_PORT"] == "80"


def test_exit_code_message_has_packers_missing_space() -> None:
    check_exit_code(2, [0, 2])
    with pytest.raises(BuildError) as exc:
        check_exit_code(3, None)
    assert str(exc.value) == "Script exited with non-zero exit status: 3.Allowed exit codes are: [0]"
    with pytest.raises(BuildError, match=r"\[0 2\]$"):
        check_exit_code(1, [0, 2])


def test_output_line_cleaning() -> None:
    assert clean_output_line("abc  \r\n") == "abc"
    assert clean_output_line("50%\r100%") == "100%"


def test_unix_reader() -> None:
    assert unix_text(b"a\r\nb") == b"a\nb\n"
    assert unix_text(b"") == b""
