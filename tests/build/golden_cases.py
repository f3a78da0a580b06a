"""The null-builder templates whose `build` output is recorded from Packer 1.6.6 (``record_build.py``) and compared
with packer-py's (``test_build_golden.py``). Both run against the same real sshd of ``tests/harness``.

A template reaches the sshd through user variables given with ``-var``: ``host``, ``port``, ``user``, ``key``
(the harness's client key) and ``remote`` (a per-case directory that the "remote" machine writes to: the sshd runs
on this machine). Each case runs in a scratch directory ``<CASE>`` with its own TMPDIR (``<CASE>/tmp``).
Provisioners print to stdout OR stderr, never both, because the interleaving of two streams is a race in Packer too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

NULL: dict[str, Any] = {
    "type": "null",
    "ssh_host": "{{user `host`}}",
    "ssh_port": "{{user `port`}}",
    "ssh_username": "{{user `user`}}",
    "ssh_private_key_file": "{{user `key`}}",
}
VARS: dict[str, str] = {"host": "", "port": "", "user": "", "key": "", "remote": ""}


@dataclass
class Case:
    name: str
    provisioners: list[dict[str, Any]] = field(default_factory=list)
    post_processors: list[Any] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    """Local fixture files, relative to ``<CASE>``."""
    record_files: list[str] = field(default_factory=list)
    """Files (relative to ``<CASE>``) whose normalised contents are recorded too (``NAME.<file>``)."""
    listing: bool = False
    """Record the tree of ``<CASE>/remote`` and ``<CASE>/down`` (file name, size) after the build."""
    extra: dict[str, Any] = field(default_factory=dict)
    """More top-level template keys (``error-cleanup-provisioner``, more builders...)."""
    builders: list[dict[str, Any]] | None = None
    variables: dict[str, str] = field(default_factory=dict)
    sensitive: list[str] = field(default_factory=list)
    interrupt_after: str = ""
    """Send ``interrupt_signal`` to the process group (as a terminal's Ctrl-C does) once this text is printed."""
    interrupt_signal: str = "SIGINT"
    hcl: str = ""
    """An HCL2 configuration (``template.pkr.hcl``) to build instead of the JSON template; it declares the
    variables ``host``, ``port``, ``user``, ``key`` and ``remote`` itself (``HCL_VARIABLES``)."""

    @property
    def template_file(self) -> str:
        return "template.pkr.hcl" if self.hcl else "template.json"

    def template(self) -> dict[str, Any]:
        tpl: dict[str, Any] = {"variables": {**VARS, **self.variables}}
        if self.sensitive:
            tpl["sensitive-variables"] = self.sensitive
        tpl["builders"] = self.builders if self.builders is not None else [NULL]
        if self.provisioners:
            tpl["provisioners"] = self.provisioners
        if self.post_processors:
            tpl["post-processors"] = self.post_processors
        tpl.update(self.extra)
        return tpl


CASES: list[Case] = [
    Case(
        "shell-inline",
        provisioners=[
            {
                "type": "shell",
                "inline": [
                    "echo hello from {{build `Host`}} as {{build `User`}} id {{build `ID`}}",
                    'echo "vars: $FOO|$BAR|$PACKER_BUILD_NAME|$PACKER_BUILDER_TYPE"',
                    "echo",
                    "printf 'trailing   \\n'",
                    "printf 'over\\rwritten\\n'",
                    "echo secret is {{user `pw`}}",
                ],
                "environment_vars": ["FOO=it's quoted", "BAR=b=c"],
            },
            {"type": "shell", "inline": ["echo only-stderr >&2", "echo again >&2"]},
        ],
        args=["-color=false"],
        variables={"pw": "hunter2"},
        sensitive=["pw"],
    ),
    Case(
        "shell-color",
        provisioners=[
            {"type": "shell", "inline": ["echo out"]},
            {"type": "shell", "inline": ["echo err >&2"]},
        ],
    ),
    Case(
        "shell-exit-code",
        provisioners=[{"type": "shell", "inline": ["echo before", "exit 3"]}],
        args=["-color=false"],
    ),
    Case(
        "shell-valid-exit-codes",
        provisioners=[
            {"type": "shell", "inline": ["exit 2"], "valid_exit_codes": [0, 2]},
            {"type": "shell", "inline": ["exit 7"], "valid_exit_codes": [0, 2]},
        ],
        args=["-color=false"],
    ),
    Case(
        "shell-scripts",
        provisioners=[
            {
                "type": "shell",
                "scripts": ["scripts/one.sh", "scripts/two.sh"],
                "environment_vars": ["GREETING=hi"],
                "execute_command": "chmod +x {{.Path}}; {{.Vars}} sh {{.Path}} arg1",
            },
            {"type": "shell", "script": "scripts/crlf.sh"},
            {"type": "shell", "inline": ["echo envfile $A"], "environment_vars": ["A=1"], "use_env_var_file": True},
        ],
        files={
            "scripts/one.sh": "#!/bin/sh\necho one $GREETING $1\n",
            "scripts/two.sh": "#!/bin/sh\necho two $0 | sed 's/script_[0-9]*/script_N/'\n",
            "scripts/crlf.sh": "#!/bin/sh\r\necho crlf-ok\r\n",
        },
        args=["-color=false"],
    ),
    Case(
        "shell-skip-clean",
        provisioners=[
            {
                "type": "shell",
                "inline": ["echo kept"],
                "skip_clean": True,
                "remote_folder": "{{user `remote`}}",
                "remote_file": "kept.sh",
            },
            {"type": "shell", "inline": ["ls {{user `remote`}}"]},
        ],
        args=["-color=false"],
    ),
    Case(
        "file-transfers",
        provisioners=[
            {"type": "shell", "inline": ["mkdir -p {{user `remote`}}/a {{user `remote`}}/b {{user `remote`}}/c"]},
            {"type": "file", "source": "data/one.txt", "destination": "{{user `remote`}}/one-renamed.txt"},
            {"type": "file", "source": "data/one.txt", "destination": "{{user `remote`}}/a/"},
            {"type": "file", "source": "data/tree", "destination": "{{user `remote`}}/b"},
            {"type": "file", "source": "data/tree/", "destination": "{{user `remote`}}/c"},
            {"type": "file", "sources": ["data/one.txt", "data/two.txt"], "destination": "{{user `remote`}}/a/"},
            {
                "type": "file",
                "direction": "download",
                "source": "{{user `remote`}}/one-renamed.txt",
                "destination": "down/x/",
            },
            {
                "type": "file",
                "direction": "download",
                "source": "{{user `remote`}}/a/two.txt",
                "destination": "down/renamed.txt",
            },
            {"type": "file", "direction": "download", "source": "{{user `remote`}}/c/", "destination": "down/tree"},
        ],
        files={
            "data/one.txt": "one\n",
            "data/two.txt": "two two\n",
            "data/tree/x.txt": "x\n",
            "data/tree/sub/y": "yy\n",
        },
        args=["-color=false"],
        listing=True,
    ),
    Case(
        "file-missing-source",
        provisioners=[{"type": "file", "source": "data/gone.txt", "destination": "/tmp/whatever", "generated": True}],
        args=["-color=false"],
    ),
    Case(
        "shell-local",
        provisioners=[
            {
                "type": "shell-local",
                "inline": ["echo local $PACKER_BUILD_NAME $X", "echo {{build `Host`}}"],
                "environment_vars": ["X=y"],
            },
            {"type": "shell-local", "command": "echo command-form"},
            {"type": "shell-local", "inline": ["exit 4"], "valid_exit_codes": [0]},
        ],
        args=["-color=false"],
    ),
    Case(
        "manifest",
        provisioners=[{"type": "shell", "inline": ["true"]}],
        post_processors=[
            {
                "type": "manifest",
                "output": "out/{{build_name}}-manifest.json",
                "strip_path": True,
                "custom_data": {"b": "{{build `ID`}}", "a": "x<y&z"},
            },
            [
                {"type": "manifest", "output": "plain.json", "strip_time": True},
                {"type": "shell-local", "inline": ["echo pp {{build `ID`}} $PACKER_BUILDER_TYPE"]},
            ],
        ],
        args=["-color=false"],
        files={"out/.keep": ""},
        record_files=["out/null-manifest.json", "plain.json"],
    ),
    Case(
        "max-retries",
        provisioners=[{"type": "shell", "inline": ["echo try", "exit 1"], "max_retries": 2}],
        args=["-color=false"],
    ),
    Case(
        "timeout",
        provisioners=[{"type": "shell", "inline": ["echo start", "sleep 10", "echo never"], "timeout": "3s"}],
        args=["-color=false"],
    ),
    Case(
        "pause-before",
        provisioners=[
            {"type": "shell", "inline": ["echo paused"], "pause_before": "1s", "timeout": "1m"},
            {"type": "shell", "inline": ["echo timed"], "timeout": "1m"},
        ],
        args=["-color=false"],
    ),
    Case(
        "on-error-cleanup-provisioner",
        provisioners=[{"type": "shell", "inline": ["exit 1"]}],
        extra={"error-cleanup-provisioner": {"type": "shell-local", "inline": ["echo cleaning up"]}},
        args=["-color=false"],
    ),
    Case(
        "on-error-abort",
        provisioners=[{"type": "shell", "inline": ["exit 1"]}],
        extra={"error-cleanup-provisioner": {"type": "shell-local", "inline": ["echo cleaning up"]}},
        args=["-color=false", "-on-error=abort"],
    ),
    Case(
        "on-error-run-cleanup-provisioner",
        provisioners=[{"type": "shell", "inline": ["exit 1"]}],
        extra={"error-cleanup-provisioner": {"type": "shell-local", "inline": ["echo cleaning up"]}},
        args=["-color=false", "-on-error=run-cleanup-provisioner"],
    ),
    Case(
        "machine-readable",
        provisioners=[{"type": "shell", "inline": ["echo a,b", "echo {{user `pw`}}"]}],
        post_processors=[{"type": "manifest", "output": "m.json"}],
        args=["-machine-readable"],
        variables={"pw": "hunter2"},
        sensitive=["pw"],
    ),
    Case(
        "machine-readable-error",
        provisioners=[{"type": "shell", "inline": ["exit 9"]}],
        args=["-machine-readable"],
    ),
    Case(
        "two-builds",
        builders=[{**NULL, "name": "first"}, {**NULL, "name": "second"}],
        provisioners=[
            {"type": "shell", "inline": ["echo hi"]},
            {"type": "shell", "inline": ["exit 1"], "only": ["second"]},
        ],
        args=["-color=false", "-parallel-builds=1"],
    ),
    Case(
        "only-except",
        builders=[{**NULL, "name": "first"}, {**NULL, "name": "second"}],
        provisioners=[{"type": "shell", "inline": ["echo hi"]}],
        args=["-color=false", "-only=second"],
    ),
    Case(
        "only-matches-nothing",
        provisioners=[{"type": "shell", "inline": ["echo hi"]}],
        args=["-color=false", "-only=nomatch"],
    ),
    Case(
        "communicator-none",
        builders=[{"type": "null", "communicator": "none"}],
        post_processors=[{"type": "shell-local", "inline": ["echo pp"]}],
        args=["-color=false"],
    ),
    Case(
        "communicator-none-shell-local",
        builders=[{"type": "null", "communicator": "none"}],
        provisioners=[{"type": "shell-local", "inline": ["echo local {{build `Host`}} {{build `ID`}}"]}],
        args=["-color=false"],
    ),
    Case(
        "timestamp-ui",
        provisioners=[{"type": "shell", "inline": ["echo stamped"]}],
        args=["-color=false", "-timestamp-ui"],
    ),
    Case(
        "expect-disconnect",
        provisioners=[
            {"type": "shell", "inline": ["kill -9 $PPID"], "expect_disconnect": True},
            {"type": "shell", "inline": ["echo back"]},
        ],
        args=["-color=false"],
    ),
    Case(
        "unexpected-disconnect",
        provisioners=[{"type": "shell", "inline": ["kill -9 $PPID"], "start_retry_timeout": "1s"}],
        args=["-color=false"],
    ),
]

CASES += [
    Case(
        "debug-no-tty",
        provisioners=[{"type": "shell", "inline": ["echo dbg"]}, {"type": "breakpoint", "note": "look"}],
        args=["-color=false", "-debug"],
    ),
    Case(
        "on-error-ask-no-tty",
        provisioners=[{"type": "shell", "inline": ["exit 1"]}],
        args=["-color=false", "-on-error=ask"],
    ),
    Case(
        "breakpoint-disabled",
        provisioners=[{"type": "breakpoint", "note": "n", "disable": True}, {"type": "breakpoint", "disable": True}],
        args=["-color=false"],
    ),
    Case(
        "interrupt",
        provisioners=[{"type": "shell", "inline": ["echo started", "sleep 30", "echo never"]}],
        post_processors=[{"type": "shell-local", "inline": ["echo pp-ran"]}],
        extra={"error-cleanup-provisioner": {"type": "shell-local", "inline": ["echo cleanup-ran"]}},
        args=["-color=false"],
        interrupt_after="null: started",
    ),
    Case(
        "sigterm-local",
        provisioners=[{"type": "shell-local", "inline": ["echo started", "sleep 30", "echo never"]}],
        args=["-color=false"],
        interrupt_after="null: started",
        interrupt_signal="SIGTERM",
    ),
    Case(
        "interrupt-wait-ssh",
        builders=[{**NULL, "ssh_port": "1", "ssh_timeout": "1m"}],
        provisioners=[{"type": "shell", "inline": ["echo never"]}],
        args=["-color=false"],
        interrupt_after="Waiting for SSH",
    ),
]

HCL_VARIABLES = "".join(f'variable "{name}" {{\n  type = string\n}}\n' for name in VARS)
HCL_NULL = """source "null" "SOURCE" {
  ssh_host             = var.host
  ssh_port             = var.port
  ssh_username         = var.user
  ssh_private_key_file = var.key
}
"""


def _hcl(*sources: str, body: str) -> str:
    return HCL_VARIABLES + "".join(HCL_NULL.replace("SOURCE", s) for s in sources) + body


CASES += [
    Case(
        "hcl2-build-data",
        hcl=_hcl(
            "n",
            body="""
build {
  name    = "b"
  sources = ["source.null.n"]
  provisioner "shell" {
    environment_vars = ["FROM_SOURCE=${source.type}.${source.name}"]
    inline = [
      "echo host=${build.Host} user=${build.User} id=${build.ID} port_set=${build.Port != \"\"} name=${build.name}",
      "echo conn=${build.ConnType} source=$FROM_SOURCE builder=$PACKER_BUILD_NAME/$PACKER_BUILDER_TYPE",
      "echo go: {{ build_name }} {{ build_type }}",
    ]
  }
  provisioner "shell-local" {
    inline = ["echo local: ${build.ID} ${upper(source.name)} > ${var.remote}/local.txt"]
  }
  post-processor "shell-local" {
    name   = "announce"
    inline = ["echo pp: id=${build.ID} build=$PACKER_BUILD_NAME type=$PACKER_BUILDER_TYPE"]
  }
}
""",
        ),
        args=["-color=false"],
        record_files=["remote/local.txt"],
    ),
    Case(
        "hcl2-post-processor-build-data",
        hcl=_hcl(
            "n",
            body="""
build {
  sources = ["source.null.n"]
  provisioner "shell" {
    inline = ["echo provisioned ${build.ID}"]
  }
  post-processor "shell-local" {
    inline = ["echo pp id=${build.ID} host=${build.Host} name=${build.name}"]
  }
}
""",
        ),
        args=["-color=false"],
    ),
    Case(
        "hcl2-only-globs",
        hcl=_hcl(
            "alpha",
            "beta",
            body="""
build {
  name    = "first"
  sources = ["source.null.alpha", "source.null.beta"]
  provisioner "shell" {
    only   = ["null.alpha"]
    inline = ["echo only alpha"]
  }
  provisioner "shell" {
    inline = ["echo everyone: ${source.name}"]
  }
}
build {
  sources = ["source.null.beta"]
  provisioner "shell" {
    inline = ["echo unnamed build: ${source.name}"]
  }
}
""",
        ),
        args=["-color=false", "-parallel-builds=1", "-only=first.*,null.*", "-except=*.beta"],
    ),
    Case(
        "hcl2-communicator-none",
        hcl=HCL_VARIABLES
        + 'source "null" "n" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.n"]\n}\n',
        args=["-color=false"],
    ),
    Case(
        "hcl2-provisioner-fails",
        hcl=_hcl(
            "n",
            body="""
build {
  sources = ["source.null.n"]
  provisioner "shell" {
    inline = ["echo about to fail >&2", "exit 3"]
  }
  post-processor "shell-local" {
    inline = ["echo never"]
  }
}
""",
        ),
        args=["-color=false"],
    ),
]

BY_NAME = {c.name: c for c in CASES}

# -- normalisation: only durations, temp names, timestamps and run ids ----------------------------------------------
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"after \d+ [a-z]+(?: \d+ [a-z]+)?"), "after <D>"),
    (re.compile(r"packer-shell[\w-]+"), "packer-shell<TMP>"),
    (re.compile(r"script_\d+\.sh"), "script_<N>.sh"),
    (re.compile(r"varfile_\d+\.sh"), "varfile_<N>.sh"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)"), "<TIME>"),
    (re.compile(r"^\d{9,},", re.M), "<TS>,"),
    (re.compile(r'"build_time": \d+'), '"build_time": <T>'),
    (re.compile(r'"(packer_run_uuid|last_run_uuid)": "[0-9a-f-]{36}"'), r'"\1": "<UUID>"'),
]


def normalise(text: str, case_dir: str) -> str:
    text = text.replace(case_dir, "<CASE>")
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text
