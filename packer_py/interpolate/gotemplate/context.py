"""What a rendering can see: user variables, the ``.`` data, and which Packer functions are allowed where.

Packer builds an ``interpolate.Context`` per place it renders (variable defaults, builder config, provisioner
config, build-time steps); :class:`RenderContext` is the same idea as an immutable value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

__all__ = ["RenderContext", "RunClock"]


@dataclass(frozen=True)
class RunClock:
    """The one instant of a run: Packer's ``InitTime``, taken once when the process starts.

    ``timestamp``, ``isotime`` and ``strftime`` all print this instant, so every value rendered in one run agrees
    (an AMI name and its tag carry the same timestamp).
    """

    start: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("RunClock.start must be timezone-aware (UTC)")

    @classmethod
    def now(cls) -> RunClock:
        return cls(datetime.now(UTC))

    @property
    def utc(self) -> datetime:
        return self.start.astimezone(UTC)


_PROCESS_CLOCK = RunClock.now()
_EMPTY: Mapping[str, str] = MappingProxyType({})


def _process_clock() -> RunClock:
    return _PROCESS_CLOCK


@dataclass(frozen=True)
class RenderContext:
    """Everything a Go-template rendering may use.

    * ``enable_env``: Packer's ``EnableEnv``, true only while rendering variable defaults. It allows ``env``,
      makes ``user`` fail on unset variables (``Error: variable not set: x``), and allows ``consul_key``,
      ``vault`` and ``aws_secretsmanager``.
    * ``in_variables``: the variables section; also allows ``consul_key``/``vault``/``aws_secretsmanager``
      (Packer gates them on ``EnableEnv``, which is only set there).
    * ``build_data``: generated build data for ``build``; ``None`` means Packer's fallback, the ``.`` data (at
      prepare time, a map of placeholders that render back to ``{{.Key}}``).
    * ``extra_funcs``: a builder's own functions (amazon: ``clean_resource_name``), by name.
    * ``uuid_factory``, ``cwd``, ``environ``: injectable for tests; ``None`` means the real thing.
    """

    user_variables: Mapping[str, str] | None = field(default_factory=lambda: _EMPTY)
    """``None`` is Go's nil map (HCL2 components get no user variables): ``user`` then fails with ``test``."""
    data: Mapping[str, object] | None = None
    enable_env: bool = False
    in_variables: bool = False
    build_name: str | None = None
    build_type: str | None = None
    template_path: str | None = None
    packer_version: str | None = None
    build_data: Mapping[str, object] | None = None
    extra_funcs: Mapping[str, Callable[..., object]] = field(default_factory=lambda: MappingProxyType({}))
    clock: RunClock = field(default_factory=_process_clock)
    environ: Mapping[str, str] | None = None
    uuid_factory: Callable[[], str] | None = None
    cwd: str | None = None

    def getenv(self, key: str) -> str:
        env = os.environ if self.environ is None else self.environ
        return env.get(key, "")

    def getcwd(self) -> str:
        return os.getcwd() if self.cwd is None else self.cwd
