"""``diff -u`` exactly as GNU diffutils prints it, for ``packer fmt -diff``.

Packer 1.6.6 does not compute diffs itself: ``bytesDiff`` writes both versions to temporary files and runs
``diff --label=old/PATH --label=new/PATH -u OLD NEW``. To print the same hunks without depending on an external
program, this module reimplements the parts of GNU diff that decide them:

* the identical prefix and suffix of the two files are set aside, except for a "horizon" of 3 lines (the context)
  on each side, before any line is compared;
* lines that match nothing in the other file, and runs of lines that match too many, are discarded before the
  comparison ("confusing lines");
* the edit script is Myers' O(ND) algorithm in its linear-space form: the middle snake is found by searching forward
  and backward at the same time, and the problem is split there, with diff's tie-breaking and its ``too_expensive``
  cut-off;
* change groups are then slid down as far as they go and merged with neighbours ("shift boundaries");
* hunks join changes at most 6 lines apart and show 3 lines of context; an incomplete last line is followed by
  ``\\ No newline at end of file`` and never matches a complete line.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["unified_diff"]

CONTEXT = 3
HORIZON = CONTEXT  # diff raises --horizon-lines to at least the context


@dataclass(frozen=True)
class _Change:
    line0: int  # first line deleted from file 0 (or the line before which lines are inserted)
    line1: int
    deleted: int
    inserted: int


def _identical_ends(b0: bytes, b1: bytes, missing0: bool, missing1: bool) -> tuple[int, int, int]:
    """Byte offsets: end of the set-aside prefix (same in both) and start of the set-aside suffix in each file."""
    n0, n1 = len(b0), len(b1)
    p = 0
    shortest = min(n0, n1)
    while p < shortest and b0[p] == b1[p]:
        p += 1
    # A newline that diff appended to an incomplete line must not count as part of the prefix.
    if (n0 - missing0 < p) != (n1 - missing1 < p):
        p -= 1
    horizon = HORIZON
    while p != 0:
        if b0[p - 1] != 0x0A:
            p -= 1
            continue
        if horizon == 0:
            break
        horizon -= 1
        p -= 1
    prefix_end = p

    p0, p1 = n0, n1
    if missing0 == missing1:
        stop = prefix_end + (0 if n0 < n1 else n0 - n1)
        while p0 != stop:
            p0 -= 1
            p1 -= 1
            if b0[p0] != b1[p1]:
                p0 += 1
                p1 += 1
                break
        at_line_start = (p0 == 0 or b0[p0 - 1] == 0x0A) and (p1 == 0 or b1[p1 - 1] == 0x0A)
        skip = HORIZON + (0 if at_line_start else 1)
        start = p0
        while skip and p0 != n0:
            skip -= 1
            while b0[p0] != 0x0A:
                p0 += 1
            p0 += 1
        p1 += p0 - start
    return prefix_end, p0, p1


def _split_lines(buf: bytes, start: int, end: int) -> list[bytes]:
    """Lines of ``buf[start:end]`` without their newline (the region always ends at a line boundary)."""
    if start >= end:
        return []
    return buf[start : end - 1].split(b"\n")


class _Comparison:
    """Myers' linear-space diff over equivalence-class vectors, as GNU diff's ``compareseq``/``diag`` do it."""

    def __init__(self, xv: list[int], yv: list[int], changed0: list[int], changed1: list[int]) -> None:
        self.xv, self.yv = xv, yv
        self.changed0, self.changed1 = changed0, changed1
        size = len(xv) + len(yv) + 3
        self.offset = len(yv) + 1
        self.fd = [0] * size
        self.bd = [0] * size
        too_expensive, diags = 1, size
        while diags:
            too_expensive <<= 1
            diags >>= 2
        self.too_expensive = max(4096, too_expensive)
        self.real0: list[int] = []
        self.real1: list[int] = []

    def diag(self, xoff: int, xlim: int, yoff: int, ylim: int, find_minimal: bool) -> tuple[int, int, bool, bool]:
        fd, bd, xv, yv, o = self.fd, self.bd, self.xv, self.yv, self.offset
        dmin, dmax = xoff - ylim, xlim - yoff
        fmid, bmid = xoff - yoff, xlim - ylim
        fmin = fmax = fmid
        bmin = bmax = bmid
        odd = (fmid - bmid) & 1
        fd[fmid + o] = xoff
        bd[bmid + o] = xlim
        big = 1 << 62
        c = 0
        while True:
            c += 1
            if fmin > dmin:
                fmin -= 1
                fd[fmin - 1 + o] = -1
            else:
                fmin += 1
            if fmax < dmax:
                fmax += 1
                fd[fmax + 1 + o] = -1
            else:
                fmax -= 1
            for d in range(fmax, fmin - 1, -2):
                tlo, thi = fd[d - 1 + o], fd[d + 1 + o]
                x = thi if tlo < thi else tlo + 1
                y = x - d
                while x < xlim and y < ylim and xv[x] == yv[y]:
                    x += 1
                    y += 1
                fd[d + o] = x
                if odd and bmin <= d <= bmax and bd[d + o] <= x:
                    return x, y, True, True
            if bmin > dmin:
                bmin -= 1
                bd[bmin - 1 + o] = big
            else:
                bmin += 1
            if bmax < dmax:
                bmax += 1
                bd[bmax + 1 + o] = big
            else:
                bmax -= 1
            for d in range(bmax, bmin - 1, -2):
                tlo, thi = bd[d - 1 + o], bd[d + 1 + o]
                x = tlo if tlo < thi else thi - 1
                y = x - d
                while xoff < x and yoff < y and xv[x - 1] == yv[y - 1]:
                    x -= 1
                    y -= 1
                bd[d + o] = x
                if not odd and fmin <= d <= fmax and x <= fd[d + o]:
                    return x, y, True, True
            if find_minimal or c < self.too_expensive:
                continue
            # Gone well beyond the call of duty: report the better of the furthest-reaching diagonals.
            fxybest, fxbest = -1, 0
            for d in range(fmax, fmin - 1, -2):
                x = min(fd[d + o], xlim)
                y = x - d
                if ylim < y:
                    x, y = ylim + d, ylim
                if fxybest < x + y:
                    fxybest, fxbest = x + y, x
            bxybest, bxbest = big, 0
            for d in range(bmax, bmin - 1, -2):
                x = max(xoff, bd[d + o])
                y = x - d
                if y < yoff:
                    x, y = yoff + d, yoff
                if x + y < bxybest:
                    bxybest, bxbest = x + y, x
            if (xlim + ylim) - bxybest < fxybest - (xoff + yoff):
                return fxbest, fxybest - fxbest, True, False
            return bxbest, bxybest - bxbest, False, True

    def compare(self, xoff: int, xlim: int, yoff: int, ylim: int, find_minimal: bool) -> None:
        xv, yv = self.xv, self.yv
        stack = [(xoff, xlim, yoff, ylim, find_minimal)]
        while stack:
            xoff, xlim, yoff, ylim, find_minimal = stack.pop()
            while xoff < xlim and yoff < ylim and xv[xoff] == yv[yoff]:
                xoff += 1
                yoff += 1
            while xoff < xlim and yoff < ylim and xv[xlim - 1] == yv[ylim - 1]:
                xlim -= 1
                ylim -= 1
            if xoff == xlim:
                for y in range(yoff, ylim):
                    self.changed1[self.real1[y] + 1] = 1
            elif yoff == ylim:
                for x in range(xoff, xlim):
                    self.changed0[self.real0[x] + 1] = 1
            else:
                xmid, ymid, lo_minimal, hi_minimal = self.diag(xoff, xlim, yoff, ylim, find_minimal)
                # Low half first, as the recursion does (the order does not change the result).
                stack.append((xmid, xlim, ymid, ylim, hi_minimal))
                stack.append((xoff, xmid, yoff, ymid, lo_minimal))


def _discard_confusing_lines(equivs: tuple[list[int], list[int]]) -> tuple[list[list[int]], list[list[int]]]:
    """Per file: 1 for each line to leave out of the comparison, and the kept lines' real indexes."""
    counts: list[dict[int, int]] = [{}, {}]
    for f in (0, 1):
        for e in equivs[f]:
            counts[f][e] = counts[f].get(e, 0) + 1
    discards: list[list[int]] = []
    for f in (0, 1):
        end = len(equivs[f])
        many, tem = 5, end // 64
        tem >>= 2
        while tem > 0:
            many *= 2
            tem >>= 2
        other = counts[1 - f]
        marks = []
        for e in equivs[f]:
            nmatch = other.get(e, 0)
            marks.append(1 if nmatch == 0 else 2 if nmatch > many else 0)
        discards.append(marks)

    for marks in discards:
        end = len(marks)
        i = 0
        while i < end:
            if marks[i] == 2:
                marks[i] = 0
            elif marks[i] != 0:
                provisional = 0
                j = i
                while j < end and marks[j] != 0:
                    if marks[j] == 2:
                        provisional += 1
                    j += 1
                while j > i and marks[j - 1] == 2:
                    j -= 1
                    marks[j] = 0
                    provisional -= 1
                length = j - i
                if provisional * 4 > length:
                    while j > i:
                        j -= 1
                        if marks[j] == 2:
                            marks[j] = 0
                else:
                    minimum, tem = 1, length >> 2
                    tem >>= 2
                    while tem > 0:
                        minimum <<= 1
                        tem >>= 2
                    minimum += 1
                    consec = 0
                    j = 0
                    while j < length:
                        if marks[i + j] != 2:
                            consec = 0
                        else:
                            consec += 1
                            if consec == minimum:
                                j -= consec  # back up to the start of the subrun and cancel all of it
                            elif consec > minimum:
                                marks[i + j] = 0
                        j += 1
                    consec = 0
                    for j in range(length):
                        if j >= 8 and marks[i + j] == 1:
                            break
                        if marks[i + j] == 2:
                            consec = 0
                            marks[i + j] = 0
                        elif marks[i + j] == 0:
                            consec = 0
                        else:
                            consec += 1
                        if consec == 3:
                            break
                    i += length - 1
                    consec = 0
                    for j in range(length):
                        if j >= 8 and marks[i - j] == 1:
                            break
                        if marks[i - j] == 2:
                            consec = 0
                            marks[i - j] = 0
                        elif marks[i - j] == 0:
                            consec = 0
                        else:
                            consec += 1
                        if consec == 3:
                            break
            i += 1
    kept = [[i for i, m in enumerate(marks) if m == 0] for marks in discards]
    return discards, kept


def _shift_boundaries(equivs: tuple[list[int], list[int]], changed: tuple[list[int], list[int]]) -> None:
    """Slide each run of changes down as far as identical lines allow, merging runs (arrays carry a 0 at both ends)."""
    for f in (0, 1):
        ch, other = changed[f], changed[1 - f]
        eq = equivs[f]
        i_end = len(eq)
        i = j = 0  # real indexes; array index = real + 1
        while True:
            while i < i_end and not ch[i + 1]:
                while other[j + 1]:
                    j += 1
                j += 1
                i += 1
            if i == i_end:
                break
            start = i
            i += 1
            while ch[i + 1]:
                i += 1
            while other[j + 1]:
                j += 1
            while True:
                runlength = i - start
                while start and eq[start - 1] == eq[i - 1]:
                    start -= 1
                    ch[start + 1] = 1
                    i -= 1
                    ch[i + 1] = 0
                    while ch[start]:
                        start -= 1
                    j -= 1
                    while other[j + 1]:
                        j -= 1
                corresponding = i if other[j] else i_end
                while i != i_end and eq[start] == eq[i]:
                    ch[start + 1] = 0
                    start += 1
                    ch[i + 1] = 1
                    i += 1
                    while ch[i + 1]:
                        i += 1
                    j += 1
                    while other[j + 1]:
                        j += 1
                        corresponding = i
                if runlength == i - start:
                    break
            while corresponding < i:
                start -= 1
                ch[start + 1] = 1
                i -= 1
                ch[i + 1] = 0
                j -= 1
                while other[j + 1]:
                    j -= 1


def _build_script(changed0: list[int], changed1: list[int], len0: int, len1: int) -> list[_Change]:
    script: list[_Change] = []
    i0 = i1 = 0
    while i0 < len0 or i1 < len1:
        if changed0[i0 + 1] or changed1[i1 + 1]:
            line0, line1 = i0, i1
            while changed0[i0 + 1]:
                i0 += 1
            while changed1[i1 + 1]:
                i1 += 1
            script.append(_Change(line0, line1, i0 - line0, i1 - line1))
        i0 += 1
        i1 += 1
    return script


def _diff_script(old: bytes, new: bytes) -> tuple[list[_Change], list[bytes], list[bytes], bool, bool]:
    missing0 = bool(old) and not old.endswith(b"\n")
    missing1 = bool(new) and not new.endswith(b"\n")
    b0 = old + b"\n" if missing0 else old
    b1 = new + b"\n" if missing1 else new
    prefix_end, suffix0, suffix1 = _identical_ends(b0, b1, missing0, missing1)
    prefix_lines = b0.count(b"\n", 0, prefix_end)
    mids = (_split_lines(b0, prefix_end, suffix0), _split_lines(b1, prefix_end, suffix1))
    classes: dict[tuple[bytes, bool], int] = {}
    equivs: tuple[list[int], list[int]] = ([], [])
    for f, (lines, end, buf, missing) in enumerate(
        ((mids[0], suffix0, b0, missing0), (mids[1], suffix1, b1, missing1))
    ):
        for k, text in enumerate(lines):
            incomplete = missing and end == len(buf) and k == len(lines) - 1
            equivs[f].append(classes.setdefault((text, incomplete), len(classes) + 1))
    len0, len1 = len(equivs[0]), len(equivs[1])
    changed = ([0] * (len0 + 2), [0] * (len1 + 2))
    discards, kept = _discard_confusing_lines(equivs)
    for f in (0, 1):
        for i, m in enumerate(discards[f]):
            if m:
                changed[f][i + 1] = 1
    comparison = _Comparison([equivs[0][i] for i in kept[0]], [equivs[1][i] for i in kept[1]], *changed)
    comparison.real0, comparison.real1 = kept[0], kept[1]
    comparison.compare(0, len(kept[0]), 0, len(kept[1]), False)
    _shift_boundaries(equivs, changed)
    script = [
        _Change(c.line0 + prefix_lines, c.line1 + prefix_lines, c.deleted, c.inserted)
        for c in _build_script(changed[0], changed[1], len0, len1)
    ]
    return script, b0[:-1].split(b"\n") if b0 else [], b1[:-1].split(b"\n") if b1 else [], missing0, missing1


def _range(first: int, last: int) -> str:
    a, b = first + 1, last + 1
    if b <= a:
        return str(b) if b == a else f"{b},0"
    return f"{a},{b - a + 1}"


def unified_diff(old: bytes, new: bytes, old_label: str, new_label: str) -> bytes:
    """``diff --label=OLD_LABEL --label=NEW_LABEL -u`` of two byte strings; empty when they are equal."""
    if old == new:
        return b""
    script, lines0, lines1, missing0, missing1 = _diff_script(old, new)
    if not script:
        return b""
    out = [f"--- {old_label}\n+++ {new_label}\n".encode()]

    def line(prefix: bytes, lines: list[bytes], k: int, missing: bool) -> None:
        out.append(prefix + lines[k] + b"\n")
        if missing and k == len(lines) - 1:
            out.append(b"\\ No newline at end of file\n")

    h = 0
    while h < len(script):
        e = h
        while e + 1 < len(script) and script[e + 1].line0 - (script[e].line0 + script[e].deleted) < 2 * CONTEXT + 1:
            e += 1
        hunk = script[h : e + 1]
        first0 = max(hunk[0].line0 - CONTEXT, 0)
        first1 = max(hunk[0].line1 - CONTEXT, 0)
        last0 = min(hunk[-1].line0 + hunk[-1].deleted - 1 + CONTEXT, len(lines0) - 1)
        last1 = min(hunk[-1].line1 + hunk[-1].inserted - 1 + CONTEXT, len(lines1) - 1)
        out.append(f"@@ -{_range(first0, last0)} +{_range(first1, last1)} @@\n".encode())
        i, j, k = first0, first1, 0
        while i <= last0 or j <= last1:
            if k >= len(hunk) or i < hunk[k].line0:
                line(b" ", lines0, i, missing0)
                i += 1
                j += 1
            else:
                for _ in range(hunk[k].deleted):
                    line(b"-", lines0, i, missing0)
                    i += 1
                for _ in range(hunk[k].inserted):
                    line(b"+", lines1, j, missing1)
                    j += 1
                k += 1
        h = e + 1
    return b"".join(out)
