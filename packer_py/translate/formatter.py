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
from typing import Any

from packer_py.diagnostics import Diagnostic
from packer_py.translate.hcl_format import Token, TokenType, format_hcl, lex
from packer_py.translate.unified_diff import unified_diff

__all__ = ["FormatOutcome", "HCL2Formatter", "hcl_parses"]

HCL_SUFFIX = ".pkr.hcl"
VARS_SUFFIX = ".pkrvars.hcl"

# Tokens that hclsyntax's checkInvalidTokens turns into errors before the parser even runs.
_INVALID = {
    TokenType.INVALID,
    TokenType.BAD_UTF8,
    TokenType.QUOTED_NEWLINE,
    TokenType.BITWISE_AND,
    TokenType.BITWISE_OR,
    TokenType.BITWISE_NOT,
    TokenType.BITWISE_XOR,
    TokenType.BACKTICK,
    TokenType.APOSTROPHE,
    TokenType.SEMICOLON,
}
# After these, a minus is a negation (hclwrite's heuristic, good enough to spot ``- -1``).
_BEFORE_UNARY = {
    TokenType.NIL,
    TokenType.OPAREN,
    TokenType.OBRACE,
    TokenType.OBRACK,
    TokenType.EQUAL,
    TokenType.COLON,
    TokenType.COMMA,
    TokenType.QUESTION,
    TokenType.PLUS,
    TokenType.STAR,
    TokenType.SLASH,
    TokenType.PERCENT,
    TokenType.MINUS,
    TokenType.EQUAL_OP,
    TokenType.NOT_EQUAL,
    TokenType.GREATER_THAN,
    TokenType.GREATER_THAN_EQ,
    TokenType.LESS_THAN,
    TokenType.LESS_THAN_EQ,
    TokenType.AND,
    TokenType.OR,
    TokenType.BANG,
    TokenType.TEMPLATE_INTERP,
    TokenType.FAT_ARROW,
}
# Tokens that can neither start an argument, a block nor an object item: at the start of a line where newlines end
# items (a body, an object constructor), hclsyntax rejects them; python-hcl2 lets the expression go on instead.
_NEVER_FIRST = {
    TokenType.STAR,
    TokenType.SLASH,
    TokenType.PERCENT,
    TokenType.PLUS,
    TokenType.EQUAL_OP,
    TokenType.NOT_EQUAL,
    TokenType.LESS_THAN,
    TokenType.GREATER_THAN,
    TokenType.LESS_THAN_EQ,
    TokenType.GREATER_THAN_EQ,
    TokenType.AND,
    TokenType.OR,
    TokenType.QUESTION,
    TokenType.COLON,
    TokenType.FAT_ARROW,
    TokenType.DOT,
    TokenType.ELLIPSIS,
    TokenType.COMMA,
}
_PAIRS = {
    TokenType.OBRACE: TokenType.CBRACE,
    TokenType.OBRACK: TokenType.CBRACK,
    TokenType.OPAREN: TokenType.CPAREN,
    TokenType.TEMPLATE_INTERP: TokenType.TEMPLATE_SEQ_END,
    TokenType.TEMPLATE_CONTROL: TokenType.TEMPLATE_SEQ_END,
    TokenType.OQUOTE: TokenType.CQUOTE,
    TokenType.OHEREDOC: TokenType.CHEREDOC,
}


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


def _for_parser(tokens: list[Token]) -> str:
    """The source rewritten for python-hcl2's grammar without changing whether hclsyntax accepts it: comments
    blanked, ``~`` strip markers dropped and chains of unary operators (``!!x``, ``- -1``) cut to their last one,
    three things python-hcl2 does not accept everywhere hclsyntax does."""
    out = []
    previous = TokenType.NIL
    for i, tok in enumerate(tokens):
        text = tok.text
        if tok.type is TokenType.COMMENT:
            text = " " if text.startswith("/*") else "\n" if text.endswith("\n") else ""
        elif tok.type in (TokenType.TEMPLATE_INTERP, TokenType.TEMPLATE_CONTROL):
            text = text.rstrip("~")
        elif tok.type is TokenType.TEMPLATE_SEQ_END:
            text = "}"
        elif tok.type is TokenType.BANG or (tok.type is TokenType.MINUS and previous in _BEFORE_UNARY):
            if i + 1 < len(tokens) and tokens[i + 1].type in (TokenType.BANG, TokenType.MINUS):
                text = ""
        out.append(" " * tok.spaces_before + text)
        previous = tok.type
    return "".join(out)


def hcl_parses(src: bytes) -> bool:
    """Whether hclsyntax would parse ``src`` without errors (lexical checks here, grammar by python-hcl2)."""
    tokens = lex(src.decode("utf-8", "surrogateescape"))
    stack: list[TokenType] = []
    newlines_end_items = [True]  # per open bracket: False inside ( [ ${ %{ and {for ...}
    at_line_start = False
    for i, tok in enumerate(tokens):
        if tok.type in _INVALID:
            return False
        if at_line_start and tok.type in _NEVER_FIRST:
            return False
        if tok.type is TokenType.NEWLINE or (tok.type is TokenType.COMMENT and tok.text.endswith("\n")):
            at_line_start = at_line_start or newlines_end_items[-1]
            continue
        if tok.type is not TokenType.COMMENT:
            at_line_start = False
        if tok.type in _PAIRS:
            stack.append(_PAIRS[tok.type])
            if tok.type not in (TokenType.OQUOTE, TokenType.OHEREDOC):
                is_for = i + 1 < len(tokens) and tokens[i + 1].type is TokenType.IDENT and tokens[i + 1].text == "for"
                newlines_end_items.append(tok.type is TokenType.OBRACE and not is_for)
        elif tok.type in _PAIRS.values():
            if not stack or stack.pop() is not tok.type:
                return False
            if tok.type not in (TokenType.CQUOTE, TokenType.CHEREDOC):
                newlines_end_items.pop()
    if stack:
        return False
    import hcl2  # lazy: lark and the grammar load only when fmt meets a file

    try:
        tree = hcl2.parses_to_tree(_for_parser(tokens))
    except Exception:  # python-hcl2 is a black box here: any failure means the text does not parse
        return False
    return not _attribute_redefined(tree)


def _attribute_redefined(tree: Any) -> bool:
    """hclsyntax rejects a body that sets the same argument twice ("Attribute redefined") while parsing."""
    from lark import Tree

    stack = [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, Tree):
            continue
        if node.data == "body":
            seen: set[str] = set()
            for child in node.children:
                if isinstance(child, Tree) and child.data == "attribute":
                    name = str(child.children[0].children[0])
                    if name in seen:
                        return True
                    seen.add(name)
        stack.extend(node.children)
    return False


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
