"""The three error-list layouts that reach ``Failed to prepare build`` in Packer 1.6.6.

Which one a user sees depends on where the error came from, and Packer mixes them:

* semantic checks (``ami_name must be specified``) collect into ``packersdk.MultiError``::

      2 error(s) occurred:

      * first
      * second

* unknown or deprecated keys are collected by ``config.Decode`` with ``hashicorp/go-multierror``; its list format
  indents with a tab and ends with a blank line (``1 error occurred:\\n\\t* unknown configuration key: ...\\n\\n``);
* type errors come straight from mapstructure, whose ``Error()`` **sorts** the bullet lines
  (``1 error(s) decoding:\\n\\n* ...``).
"""

from __future__ import annotations

from collections.abc import Sequence


def packer_multi_error(messages: Sequence[str]) -> str:
    """``packersdk.MultiError.Error()``: in the order the checks ran."""
    points = "\n".join(f"* {m}" for m in messages)
    return f"{len(messages)} error(s) occurred:\n\n{points}"


def go_multierror(messages: Sequence[str]) -> str:
    """``multierror.ListFormatFunc`` of hashicorp/go-multierror."""
    if len(messages) == 1:
        return f"1 error occurred:\n\t* {messages[0]}\n\n"
    points = "\n\t".join(f"* {m}" for m in messages)
    return f"{len(messages)} errors occurred:\n\t{points}\n\n"


def mapstructure_error(messages: Sequence[str]) -> str:
    """``mapstructure.Error.Error()``: bullet lines sorted bytewise, as Go's ``sort.Strings`` does."""
    points = sorted((f"* {m}" for m in messages), key=lambda p: p.encode("utf-8"))
    return f"{len(messages)} error(s) decoding:\n\n" + "\n".join(points)
