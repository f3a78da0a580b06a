"""Hypothesis: mutated JSON templates never crash packer-py.

Seeds are the project's templates and conformance cases; each example mutates one seed (bytes spliced, or a value
somewhere in the document replaced by another JSON value or a template string) and runs `validate -syntax-only`,
`validate`, `inspect` and `console` in-process. Whatever the input: no Python traceback, the exit status is 0 or 1,
and a failure prints a message.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packer_py.cli import main

REPO = Path(__file__).resolve().parent.parent
SEEDS = [p.read_bytes() for p in sorted(REPO.glob("templates/*.json"))]
SEEDS += [p.read_bytes() for p in sorted(REPO.glob("conformance/cases/*/t.json"))]


def _is_json(data: bytes) -> bool:
    try:
        json.loads(data)
    except ValueError:
        return False
    return True


VALID_SEEDS = [s for s in SEEDS if _is_json(s)]

TEMPLATE_STRINGS = [
    "{{user `a`}}",
    "{{ env `HOME` }}",
    "{{",
    "}}",
    "{{ .Foo }}",
    '{{split "a"}}',
    "{{timestamp}}",
    '{{isotime "2006-01-02"}}',
    "{{ uuid | upper }}",
    '{{ replace_all "a" "b" "c" }}',
    "{{build_name}}",
    "{{ clean_resource_name `x y` }}",
    "{{/* c */}}",
    "{{- 1 -}}",
    '{{ printf "%d" 3 }}',
    "{{ nope }}",
    "{{ if true }}x{{ else }}y{{ end }}",
    "`",
    '"',
    "{{ build `ID` }}",
    "{{ template_dir }}",
    "{{ pwd }}",
]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(TEMPLATE_STRINGS)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["type", "name", "only", "except", "inline", "ami_name", "source_ami", "region", "a"])
            | st.text(max_size=5),
            children,
            max_size=3,
        )
    ),
    max_leaves=6,
)


def _paths(doc: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, prefix + (i,))
    return out


def _replace(doc: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(doc)]
    return doc


@st.composite
def mutated_templates(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        seed = draw(st.sampled_from(SEEDS))
        start = draw(st.integers(0, len(seed)))
        end = draw(st.integers(start, min(len(seed), start + 12)))
        insert = draw(st.sampled_from([b"", b"{", b"}", b"[", b"]", b",", b'"', b":", b"{{", b"\\", b"\x00", b"null"]))
        return seed[:start] + insert + seed[end:]
    doc = json.loads(draw(st.sampled_from(VALID_SEEDS)))
    path = draw(st.sampled_from(_paths(doc)))
    return json.dumps(_replace(doc, path, draw(json_values))).encode()


def run_in_process(args: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        import sys

        old_stdin = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            main(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.stdin = old_stdin
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def _no_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # probes such as `ansible-playbook --version` fail fast and identically everywhere
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)


@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(template=mutated_templates(), command=st.sampled_from(["syntax", "validate", "inspect", "console"]))
def test_mutated_template_never_crashes(
    tmp_path_factory: pytest.TempPathFactory, template: bytes, command: str
) -> None:
    path = tmp_path_factory.getbasetemp() / "fuzz.json"
    path.write_bytes(template)
    args = {
        "syntax": ["validate", "-syntax-only", str(path)],
        "validate": ["validate", str(path)],
        "inspect": ["inspect", str(path)],
        "console": ["console", str(path)],
    }[command]
    code, output = run_in_process(args, stdin="{{user `aws_access_key`}}\n{{ timestamp }}\n")
    assert "Traceback" not in output
    assert code in (0, 1), output
    if code == 1:
        assert output.strip(), "a failure must say why"
