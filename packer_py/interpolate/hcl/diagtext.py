"""hashicorp/hcl v2.6.0's diagnostic text writer (``NewDiagnosticTextWriter(w, files, 80, false)``), as Packer uses.

Layout: ``Error: <summary>``, blank line, then for a diagnostic with a subject ``  on FILE line N, in BLOCK:`` and
the source lines the subject (and context) cover, each as ``%4d: text``, blank line — or ``(source code not
available)`` when the file is not among the parsed ones (``console`` passes none). Expression diagnostics add
``with var.x as "a",`` lines naming the values of the variables involved. The detail follows, word-wrapped at 80.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from packer_py.diagnostics import wordwrap
from packer_py.gofmt import quote as go_quote
from packer_py.interpolate.hcl import syntax as s
from packer_py.interpolate.hcl.syntax import HclDiagnostic, Range
from packer_py.interpolate.hcl.values import Value


def render(diags: Sequence[HclDiagnostic], files: Mapping[str, str] | None, width: int = 80) -> str:
    return "".join(render_one(d, files, width) for d in diags)


def render_one(diag: HclDiagnostic, files: Mapping[str, str] | None, width: int = 80) -> str:
    out = f"{'Error' if diag.is_error else 'Warning'}: {diag.summary}\n\n" + location_text(diag, files)
    if diag.detail:
        out += wordwrap(diag.detail, width) + "\n\n"
    return out


def location_text(diag: HclDiagnostic, files: Mapping[str, str] | None) -> str:
    """What the writer prints between the summary and the detail: ``on FILE line N`` and the source lines (or
    ``(source code not available)`` for a file not in ``files``), then any ``with var.x as ...`` lines."""
    if diag.subject is None:
        return ""
    out: list[str] = []
    subj = diag.subject
    snip = subj if diag.context is None else s.range_over(subj, diag.context)
    src = (files or {}).get(subj.filename)
    if src is None:
        out.append(f"  on {subj.filename} line {subj.start.line}:\n  (source code not available)\n\n")
    else:
        ctx = _context_string(src, subj)
        ctx = f", in {ctx}" if ctx else ""
        out.append(f"  on {subj.filename} line {subj.start.line}{ctx}:\n")
        lo, hi = snip.start.byte, max(snip.end.byte, snip.start.byte + 1)
        lines = src.split("\n")
        if src.endswith("\n"):
            lines.pop()
        offset = 0
        for number, line in enumerate(lines, 1):
            start, end = offset, offset + len(line)
            offset = end + 1
            # hcl.Range.Overlaps, which tests both ends inclusively; empty lines never overlap
            hit = start != end and (start <= lo < end or start <= hi < end or lo <= start < hi or lo <= end < hi)
            if hit:
                out.append(f"{number:4d}: {line.rstrip(chr(13))}\n")
        out.append("\n")
    if diag.expression is not None and diag.eval_ctx is not None:
        out.append(_with_values(diag))
    return "".join(out)


def _context_string(src: str, subject: Range) -> str:
    """``navigation.ContextString``: the top-level block containing the subject, as ``type "label" ...`` (for an
    HCL JSON file: the path of the objects holding it, ``source.null.a``)."""
    if subject.filename.endswith(".json"):
        from packer_py.interpolate.hcl.jsonsyntax import context_string, parse_json_config

        root, _ = parse_json_config(src, subject.filename)
        return context_string(root.val, subject.start.byte)
    body, _ = s.parse_config(src, subject.filename)
    for block in body.blocks:
        if block.range.contains_offset(subject.start.byte):
            if not block.labels:
                return block.type
            return block.type + "".join(" " + go_quote(lbl) for lbl in block.labels)
    return ""


def _with_values(diag: HclDiagnostic) -> str:
    from packer_py.interpolate.hcl.evaluator import traverse_abs

    stmts: list[str] = []
    seen: set[str] = set()
    for trav in s.walk_traversals(diag.expression):  # type: ignore[arg-type]
        val, tdiags = traverse_abs(trav.traversal, diag.eval_ctx)  # type: ignore[arg-type]
        if any(d.is_error for d in tdiags):
            continue
        text = _traversal_str(trav.traversal)
        if text in seen or not val.is_known:
            continue
        stmts.append(f"{text} set to null" if val.is_null else f"{text} as {value_str(val)}")
        seen.add(text)
    stmts.sort()
    out = []
    for i, stmt in enumerate(stmts):
        out.append(("with " if i == 0 else "     ") + stmt + (".\n\n" if i == len(stmts) - 1 else ",\n"))
    return "".join(out)


def _traversal_str(trav: list[s.Traverser]) -> str:
    out = []
    for step in trav:
        if isinstance(step, s.TraverseRoot):
            out.append(step.name)
        elif isinstance(step, s.TraverseAttr):
            out.append("." + step.name)
        else:
            key = step.key
            out.append("[" + (value_str(key) if key.type.is_primitive else "...") + "]")
    return "".join(out)


def value_str(val: Value) -> str:
    """``diagnosticTextWriter.valueStr``."""
    from packer_py.interpolate.hcl.types import BOOL, NUMBER, STRING

    ty = val.type
    if val.is_null:
        return "null"
    if not val.is_known:
        return "(not yet known)"
    if ty == BOOL:
        return "true" if val.true() else "false"
    if ty == NUMBER:
        return val.as_bigfloat().text("g", 10)
    if ty == STRING:
        return go_quote(val.as_string())
    if ty.is_collection or ty.is_tuple:
        n = val.length_int()
        if n == 0:
            return "empty " + ty.friendly_name()
        if n == 1:
            return ty.friendly_name() + " with 1 element"
        return f"{ty.friendly_name()} with {n} elements"
    if ty.is_object:
        names = [k for k, _ in ty.attrs]  # type: ignore[attr-defined]
        if not names:
            return "object with no attributes"
        if len(names) == 1:
            return f"object with 1 attribute {go_quote(names[0])}"
        return f"object with {len(names)} attributes"
    return ty.friendly_name()
