"""``local``: packer-py's own command over local mode's sandbox (``images``, ``diff AMI``, ``show AMI [PATH]``).

The lines are ``packer_py.local``'s (``say_images`` and the others); ``show AMI PATH`` writes the file's bytes as
they are, so ``packer-py local show AMI /etc/motd > motd`` copies it out of the image.
"""

from __future__ import annotations

import click

from packer_py.cli.goflags import GoFlagCommand, usage_exit
from packer_py.cli.invocation import make_ui, write_bytes


@click.command("local", cls=GoFlagCommand)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def local_cmd(args: tuple[str, ...]) -> None:
    """packer-py's own ``local`` commands: read the sandbox's image records and layers (``packer_py.local``)."""
    from packer_py.local import ImageStore, local_dir, say_changes, say_image, say_images

    store = ImageStore(local_dir() / "images")
    ui = make_ui()
    sub, rest = (args[0], args[1:]) if args else ("", ())
    if sub == "images" and not rest:
        say_images(store, ui)
    elif sub == "diff" and len(rest) == 1:
        say_changes(store, rest[0], ui)
    elif sub == "show" and len(rest) == 1:
        say_image(store, rest[0], ui)
    elif sub == "show" and len(rest) == 2:
        write_bytes(store.read_file(rest[0], rest[1]))
    else:
        usage_exit("local")
