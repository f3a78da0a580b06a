"""The engine against Go 1.19's own ``text/template`` for what ``packer console`` cannot show: multi-line
templates, data values and ``isotime`` layouts at fixed instants (conformance/gotemplate, recorded by
``record.py`` with the Go toolchain Packer 1.6.6 was built with)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from packer_py.errors import InterpolationError
from packer_py.interpolate.gotemplate import RenderContext, RunClock, render

GOLDEN = json.loads(
    (Path(__file__).resolve().parents[2] / "conformance" / "gotemplate" / "golden.json").read_text(encoding="utf-8")
)


def _context(case: dict[str, object]) -> RenderContext:
    return RenderContext(
        user_variables=case["vars"],  # type: ignore[arg-type]
        data=case["data"],  # type: ignore[arg-type]
        enable_env=bool(case["enable_env"]),
        environ=case["env"],  # type: ignore[arg-type]
        build_name=str(case["build_name"]) or None,
        clock=RunClock(datetime.fromisoformat(str(case["clock"]))),
    )


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["template"][:50] for c in GOLDEN["cases"]])
def test_matches_go(case: dict[str, object]) -> None:
    ctx = _context(case)
    if case.get("error"):
        with pytest.raises(InterpolationError) as info:
            render(str(case["template"]), ctx)
        assert str(info.value) == case["error"]
    else:
        assert render(str(case["template"]), ctx) == case["output"]
