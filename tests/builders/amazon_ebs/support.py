"""Test support for the amazon-ebs builder: configs decoded by the real schema, a recording UI, a clock that never
sleeps, and a state aimed at the harness's moto server."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packer_py.build.interfaces import BuildContext, RunOptions
from packer_py.build.journal import Journal
from packer_py.builders.amazon_ebs.access import AwsAccess
from packer_py.builders.amazon_ebs.config import EbsConfig
from packer_py.builders.amazon_ebs.state import EbsState
from packer_py.builders.amazon_ebs.waiting import Clock, PollingOverrides, WaitContext
from packer_py.schema import ComponentInput, PrepareContext, prepare_build
from packer_py.template.positions import PositionMap

REGION = "us-east-1"
RUN_UUID = "6b07d7f7-0000-4000-8000-000000000001"


def _plain(text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
    return text


def decode(raw: Mapping[str, object], tmp_path: Path | None = None) -> dict[str, object]:
    """The builder config exactly as the schema prepares it (newest mode, so newer options are accepted)."""
    config = {"type": "amazon-ebs", **raw}
    ctx = PrepareContext(
        render=_plain,
        build_name="amazon-ebs",
        builder_type="amazon-ebs",
        positions=PositionMap("t.json"),
        cwd=tmp_path or Path.cwd(),
        environ={},
        strict_1_6_6=False,
        new_uuid=lambda: "6b07d7f7-aaaa-bbbb-cccc-000000000001",
        rng=random.Random(1),
    )
    result = prepare_build(ComponentInput("builder", "amazon-ebs", [config], ("builders", 0)), [], None, [], ctx)
    assert result.error_detail is None, result.error_detail
    assert result.builder is not None
    return result.builder


def moto_config(moto: Any, source_ami: str, **overrides: object) -> dict[str, object]:
    """A minimal amazon-ebs template aimed at the harness's moto server (as raw template keys)."""
    raw: dict[str, object] = {
        "access_key": "testing",
        "secret_key": "testing",
        "region": REGION,
        "custom_endpoint_ec2": moto.endpoint,
        "source_ami": source_ami,
        "instance_type": "t2.micro",
        "ssh_username": "ec2-user",
        "ami_name": "packer-py test",
    }
    raw.update(overrides)
    return raw


@dataclass
class RecordingUi:
    """A ``BuildUi`` keeping every line as Packer would print it (``==> `` for say/error, 4 spaces for message)."""

    name: str = "amazon-ebs"
    lines: list[tuple[str, str]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def say(self, text: str) -> None:
        with self._lock:
            self.lines.append(("say", text))

    def message(self, text: str) -> None:
        with self._lock:
            self.lines.append(("message", text))

    def error(self, text: str) -> None:
        with self._lock:
            self.lines.append(("error", text))

    def machine(self, type_: str, *data: str) -> None:
        pass

    def ask(self, prompt: str) -> str:
        self.say(prompt)
        return self.answers.pop(0) if self.answers else ""

    def text(self) -> list[str]:
        """Packer's prefixed lines (its UI prefixes every line of a multi-line message)."""
        prefix = {"say": "==> ", "error": "==> ", "message": "    "}
        return [f"{prefix[kind]}{self.name}: {line}" for kind, text in self.lines for line in text.split("\n")]

    def says(self) -> list[str]:
        return [text for kind, text in self.lines if kind == "say"]

    def errors(self) -> list[str]:
        return [text for kind, text in self.lines if kind == "error"]


class FakeClock:
    """Time that only moves when the builder waits: waits return at once (or when the event is already set)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def wait(self, event: threading.Event, seconds: float) -> bool:
        self.slept.append(seconds)
        self.now += seconds
        return event.is_set()

    def clock(self) -> Clock:
        return Clock(monotonic=self.monotonic, wait=self.wait)


class Uuids:
    """Deterministic time-ordered UUIDs (``6b07d7f7-...-000000000001``, ``...002``, ...)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"6b07d7f7-1111-2222-3333-{self.count:012d}"


def make_state(
    moto: Any,
    raw: Mapping[str, object],
    *,
    clock: FakeClock | None = None,
    ui: RecordingUi | None = None,
    journal: Journal | None = None,
    environ: dict[str, str] | None = None,
    **fields: Any,
) -> EbsState:
    """An ``EbsState`` with an open AWS session on the harness's moto server, for running single steps."""
    config = EbsConfig.from_decoded(decode(raw))
    env = environ if environ is not None else {}
    cancel = threading.Event()
    clock = clock or FakeClock()
    state = EbsState(
        ui=ui or RecordingUi(),
        build_name="amazon-ebs",
        builder_type="amazon-ebs",
        cancel_event=cancel,
        config=config,
        aws=AwsAccess.open(config, env),
        journal=journal or Journal(None),
        waits=WaitContext(clock.clock(), cancel),
        polling=PollingOverrides.resolve(config.aws_polling, env),
        new_uuid=Uuids(),
        rng=random.Random(3),
        run_uuid=RUN_UUID,
        environ=env,
    )
    for key, value in fields.items():
        setattr(state, key, value)
    return state


def make_context(
    ui: RecordingUi,
    provision: Callable[[Any, dict[str, str]], None],
    *,
    journal: Journal | None = None,
    cancel_event: threading.Event | None = None,
    environ: dict[str, str] | None = None,
    on_error: str = "cleanup",
) -> BuildContext:
    return BuildContext(
        name="amazon-ebs",
        builder_type="amazon-ebs",
        ui=ui,
        options=RunOptions(run_uuid=RUN_UUID, on_error=on_error),
        cancel_event=cancel_event or threading.Event(),
        journal=journal or Journal(None),
        template_path="",
        user_variables={},
        provision=provision,
        environ=environ if environ is not None else {"PATH": "/usr/bin:/bin"},
    )
