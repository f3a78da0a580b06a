"""Packer's ``HCL2Formatter``: which files ``packer fmt PATH`` touches, and what it prints for each.

Packer 1.6.6 (``hcl2template/formatter.go``):

* PATH is a file or a directory. A file is formatted only if its name ends in ``.pkr.hcl`` or ``.pkrvars.hcl``; a
  directory contributes its ``*.pkr.hcl`` files, then its ``*.pkrvars.hcl`` files, each group in name order,
  subdirectories ignored. When nothing is left: ``Cannot tell whether PATH contains HCL2 configuration data``.
* Each file must parse as HCL first (else ``failed to parse HCL FILE``, and the other files still go on). A file
  whose canonical form differs is named on stdout, rewritten unless ``-write=false``, and with ``-diff`` followed by
  ``diff -u`` output labelled ``old/FILE`` and ``new/FILE``.
* Errors are collected and printed after all files, as HCL diagnostics.

Newer Packer adds ``-recursive`` (walk subdirectories, every entry in name order) and ``-`` (read stdin, print the
formatted text, never a diff); we add both with the newer behaviour.
"""

from __future__ import annotations

import os
import posixpath
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from packer_py.diagnostics import Diagnostic
from packer_py.translate.hcl_format import format_hcl
from packer_py.translate.unified_diff import unified_diff

__all__ = ["FormatOutcome", "HCL2Formatter", "hcl_parses"]

HCL_SUFFIX = ".pkr.hcl"
VARS_SUFFIX = ".pkrvars.hcl"


@dataclass
class FormatOutcome:
    """What ``Format`` returns in Packer: bytes of formatted output of changed files, and the diagnostics."""

    bytes_modified: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _go_error(exc: OSError, op: str, path: str) -> str:
    """Go's ``*PathError`` text, e.g. ``stat x: no such file or directory``."""
    reason = os.strerror(exc.errno) if exc.errno else str(exc)
    return f"{op} {path}: {reason[:1].lower()}{reason[1:]}"


def _go_join(directory: str, name: str) -> str:
    """``filepath.Join``: joined and cleaned, so ``.`` + ``a.pkr.hcl`` prints as ``a.pkr.hcl``."""
    joined = posixpath.normpath(posixpath.join(directory, name))
    return "/" + joined.lstrip("/") if joined.startswith("//") else joined


def hcl_parses(src: bytes) -> bool:
    """Whether hclsyntax would parse ``src`` without errors: packer-py's own port of hcl v2.6.0's parser decides."""
    from packer_py.interpolate.hcl.syntax import parse_config

    _body, diags = parse_config(src.decode("utf-8", "surrogateescape"), "")
    return not any(d.severity == "error" for d in diags)


class HCL2Formatter:
    """Formats the HCL2 files a path names; ``write_out`` receives what Packer writes straight to stdout."""

    def __init__(
        self,
        write_out: Callable[[bytes], object],
        *,
        show_diff: bool = False,
        write: bool = True,
        recursive: bool = False,
        stdin: Callable[[], bytes] | None = None,
    ) -> None:
        self.write_out = write_out
        self.show_diff = show_diff
        self.write = write
        self.recursive = recursive
        self.stdin = stdin or (lambda: sys.stdin.buffer.read())

    def format(self, path: str) -> FormatOutcome:
        outcome = FormatOutcome()
        if path == "-":
            self._process("-", outcome)
            return outcome
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as exc:
            detail = _go_error(exc, "stat", path)
            outcome.diagnostics.append(Diagnostic("error", f"Cannot tell wether {path} is a directory", detail))
            return outcome
        if not is_dir:
            files = [path] if path.endswith((HCL_SUFFIX, VARS_SUFFIX)) else []
        else:
            try:
                files = self._walk(path) if self.recursive else self._directory(path)
            except OSError as exc:
                detail = _go_error(exc, "open", path)
                outcome.diagnostics.append(Diagnostic("error", "Cannot read hcl directory", detail))
                return outcome
        if not files:
            summary = f"Cannot tell whether {path} contains HCL2 configuration data"
            outcome.diagnostics.append(Diagnostic("error", summary))
            return outcome
        for name in files:
            self._process(name, outcome)
        return outcome

    @staticmethod
    def _directory(path: str) -> list[str]:
        entries = sorted((e for e in os.scandir(path) if not e.is_dir(follow_symlinks=False)), key=lambda e: e.name)
        names = [_go_join(path, e.name) for e in entries]
        return [n for n in names if n.endswith(HCL_SUFFIX)] + [n for n in names if n.endswith(VARS_SUFFIX)]

    def _walk(self, path: str) -> list[str]:
        out: list[str] = []
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            name = _go_join(path, entry.name)
            if entry.is_dir(follow_symlinks=False):
                out.extend(self._walk(name))
            elif name.endswith((HCL_SUFFIX, VARS_SUFFIX)):
                out.append(name)
        return out

    def _process(self, filename: str, outcome: FormatOutcome) -> None:
        try:
            formatted = self._process_file(filename)
        except _FileError as exc:
            summary = f"encountered an error while formatting {filename}"
            outcome.diagnostics.append(Diagnostic("error", summary, str(exc)))
            return
        outcome.bytes_modified += len(formatted or b"")

    def _process_file(self, filename: str) -> bytes | None:
        from_stdin = filename == "-"
        if from_stdin:
            source = self.stdin()
        else:
            try:
                with open(filename, "rb") as fh:
                    source = fh.read()
            except OSError as exc:
                raise _FileError(f"failed to open {filename}: {_go_error(exc, 'open', filename)}") from exc
        if not hcl_parses(source):
            raise _FileError(f"failed to parse HCL {filename}")
        formatted = format_hcl(source)
        if formatted == source:
            if from_stdin:
                self.write_out(formatted)
            return None
        if from_stdin:
            if self.write:
                self.write_out(formatted)
            return formatted
        self.write_out(f"{filename}\n".encode())
        if self.write:
            try:
                with open(filename, "wb") as fh:
                    fh.write(formatted)
            except OSError as exc:
                raise _FileError(_go_error(exc, "open", filename)) from exc
        if self.show_diff:
            self.write_out(unified_diff(source, formatted, f"old/{filename}", f"new/{filename}"))
        return formatted


class _FileError(Exception):
    """A per-file failure; Packer turns it into a diagnostic and carries on with the other files."""
