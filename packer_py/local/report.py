"""What ``packer-py local images|diff|show`` tell about the sandbox's images, line by line through a ``Ui``.

``diff`` prints one ``LETTER PATH`` line per change, as ``docker diff`` does (``A`` added, ``C`` changed, ``D``
deleted); ``images`` one line per image, oldest first; ``show`` the record, then its changes with their type.
A ``-machine-readable`` UI makes each line one ``ui,say`` event.
"""

from __future__ import annotations

from packer_py.local.images import ImageStore
from packer_py.ui import Ui


def say_images(store: ImageStore, ui: Ui) -> None:
    """Every image the sandbox holds: id, region, creation time, number of changes, name."""
    for rec in store.all():
        ui.say(f"{rec.image_id}  {rec.region}  {rec.created}  {len(rec.changes):>4} changes  {rec.name}")


def say_changes(store: ImageStore, image_id: str, ui: Ui) -> None:
    """What the build of ``image_id`` changed on top of the host, ``docker diff`` style."""
    for change in store.get(image_id).changes:
        ui.say(f"{change.letter} {change.path}")


def say_image(store: ImageStore, image_id: str, ui: Ui) -> None:
    """The record of ``image_id`` (``copy of`` only for a ``CopyImage``), where its layer is, and its changes."""
    rec = store.get(image_id)
    ui.say(f"image:    {rec.image_id} ({rec.region})")
    ui.say(f"name:     {rec.name}")
    ui.say(f"instance: {rec.instance_id}")
    ui.say(f"created:  {rec.created}")
    if rec.copied_from:
        ui.say(f"copy of:  {rec.copied_from}")
    ui.say(f"layer:    {store.directory / rec.layer}")
    ui.say(f"changes:  {len(rec.changes)}")
    for change in rec.changes:
        ui.say(f"  {change.letter} {change.path} ({change.type})")
