from __future__ import annotations

import io

from packer_py.build.ui import ColoredUi, TargetedUi, TimestampedUi
from packer_py.ui import BasicUi, MachineReadableUi, Masker


def basic(masker: Masker | None = None) -> tuple[BasicUi, io.StringIO]:
    out = io.StringIO()
    return BasicUi(out, masker=masker), out


def test_targeted_prefixes_each_line_and_trims_trailing_space() -> None:
    ui, out = basic()
    t = TargetedUi("b", ui)
    t.say("one\ntwo  ")
    t.message("m\n")
    t.error("e")
    assert out.getvalue() == "==> b: one\n==> b: two\n    b: m\n    b:\n==> b: e\n"


def test_empty_message_is_name_and_colon() -> None:
    ui, out = basic()
    TargetedUi("b", ui).message("")
    assert out.getvalue() == "    b:\n"


def test_colored_wraps_whole_text_say_bold_message_normal_error_red() -> None:
    ui, out = basic()
    c = TargetedUi("b", ColoredUi(36, ui, enabled=True))
    c.say("s")
    c.message("m")
    c.error("e")
    assert out.getvalue() == "\033[1;36m==> b: s\033[0m\n\033[0;36m    b: m\033[0m\n\033[1;31m==> b: e\033[0m\n"


def test_color_disabled_by_packer_no_color() -> None:
    from packer_py.build.ui import colors_supported

    assert not colors_supported({"PACKER_NO_COLOR": "1"})
    assert colors_supported({})


def test_timestamp_once_before_the_whole_text() -> None:
    ui, out = basic()
    TargetedUi("b", TimestampedUi(ui, clock=lambda: "T")).say("x\ny")
    assert out.getvalue() == "T: ==> b: x\n==> b: y\n"


def test_secrets_masked_in_plain_and_machine_readable() -> None:
    ui, out = basic(Masker(["hunter2"]))
    TargetedUi("b", ui).message("pw hunter2")
    assert out.getvalue() == "    b: pw <sensitive>\n"
    mout = io.StringIO()
    m = MachineReadableUi(mout, masker=Masker(["hunter2"]), clock=lambda: 7)
    TargetedUi("b", m).message("a,hunter2\nz")
    TargetedUi("b", m).machine("artifact", "0", "id", "hunter2")
    assert (
        mout.getvalue()
        == "7,,ui,message,    b: a%!(PACKER_COMMA)<sensitive>\\n    b: z\n7,b,artifact,0,id,<sensitive>\n"
    )


def test_ask_reads_a_line_after_the_targeted_prompt() -> None:
    out = io.StringIO()
    ui = BasicUi(out, inp=io.StringIO("  r \n"))
    assert TargetedUi("b", ui).ask("Continue?") == "r"
    assert out.getvalue() == "==> b: Continue? "
