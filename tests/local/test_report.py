"""``packer_py.local.report``: the lines ``packer-py local images|diff|show`` print, through a ``Ui``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from packer_py.local import ImageStore, LocalModeError, say_changes, say_image, say_images
from packer_py.ui import BasicUi, MachineReadableUi


@pytest.fixture
def store(tmp_path: Path) -> ImageStore:
    upper = tmp_path / "upper"
    (upper / "etc/packer-py-report").mkdir(parents=True)
    (upper / "etc/packer-py-report/app.conf").write_text("x\n")
    store = ImageStore(tmp_path / "images")
    store.save(upper=upper, image_id="ami-0000000000000000a", region="eu-west-1", name="app 1", instance_id="i-1")
    store.copy(
        source_id="ami-0000000000000000a",
        source_region="eu-west-1",
        image_id="ami-0000000000000000b",
        region="us-east-1",
        name="",
    )
    return store


def _said(call, *args: object) -> list[str]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call(*args, BasicUi(out=out))
    return out.getvalue().splitlines()


def test_images_one_line_each_with_region_date_and_change_count(store: ImageStore) -> None:
    lines = _said(say_images, store)
    created = store.get("ami-0000000000000000a").created
    assert lines == [
        f"ami-0000000000000000a  eu-west-1  {created}     2 changes  app 1",
        f"ami-0000000000000000b  us-east-1  {store.get('ami-0000000000000000b').created}     2 changes  app 1",
    ]


def test_an_empty_sandbox_lists_nothing(tmp_path: Path) -> None:
    assert _said(say_images, ImageStore(tmp_path / "none")) == []


def test_changes_are_docker_diff_lines(store: ImageStore) -> None:
    assert _said(say_changes, store, "ami-0000000000000000a") == [
        "A /etc/packer-py-report",
        "A /etc/packer-py-report/app.conf",
    ]


def test_show_gives_the_record_and_names_the_source_of_a_copy(store: ImageStore) -> None:
    original = _said(say_image, store, "ami-0000000000000000a")
    copy = _said(say_image, store, "ami-0000000000000000b")
    assert original[:3] == ["image:    ami-0000000000000000a (eu-west-1)", "name:     app 1", "instance: i-1"]
    assert not any(line.startswith("copy of:") for line in original)
    assert "copy of:  eu-west-1:ami-0000000000000000a" in copy
    assert f"layer:    {store.directory / 'ami-0000000000000000b.tar.gz'}" in copy
    assert copy[-3:] == ["changes:  2", "  A /etc/packer-py-report (dir)", "  A /etc/packer-py-report/app.conf (file)"]


def test_machine_readable_lines_are_say_events(store: ImageStore) -> None:
    out = io.StringIO()
    say_changes(store, "ami-0000000000000000a", MachineReadableUi(out=out, clock=lambda: 7))
    assert out.getvalue().splitlines() == [
        "7,,ui,say,A /etc/packer-py-report",
        "7,,ui,say,A /etc/packer-py-report/app.conf",
    ]


def test_an_unknown_image_is_a_local_mode_error(store: ImageStore) -> None:
    with pytest.raises(LocalModeError, match="no local image ami-nope"):
        say_image(store, "ami-nope", BasicUi(out=io.StringIO()))
