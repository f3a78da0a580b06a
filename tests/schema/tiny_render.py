"""A small stand-in for the Go-template engine, good enough for the prepare goldens and the corpus verdicts.

It is test scaffolding, not the engine: it parses ``{{ ... }}`` actions with pipes, rejects functions Packer does
not define (``template: root:1: function "x" not defined``, a *parse* error), reports ``env`` outside variables
and ``build`` in builder configs as *execution* errors with Go's wording, and evaluates the handful of functions the
cases use. ``if``/``else``/``end`` render their first branch when the condition is a non-empty string.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Mapping

from packer_py.errors import InterpolationError
from packer_py.interpolate.gotemplate.builtins import BUILTINS
from packer_py.interpolate.gotemplate.functions import PACKER_FUNCTION_NAMES
from packer_py.schema.rules.amazon.ami import clean_resource_name

KNOWN_FUNCS = PACKER_FUNCTION_NAMES | frozenset(BUILTINS)
"""What a template may call: the engine's own lists of Packer's functions and Go's builtins."""
KEYWORDS = frozenset({"if", "else", "end", "range", "with", "define", "template", "block", "nil"})
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+')
_START = time.time()


class TinyInterpolationError(InterpolationError):
    def __init__(self, message: str, phase: str) -> None:
        super().__init__(message)
        self.phase = phase


def _actions(text: str) -> list[tuple[int, str] | str]:
    """Split into literal strings and (offset, action source) pairs."""
    parts: list[tuple[int, str] | str] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start == -1:
            parts.append(text[pos:])
            return parts
        end = text.find("}}", start + 2)
        if end == -1:
            line = text.count("\n", 0, start) + 1
            raise TinyInterpolationError(f"template: root:{line}: unclosed action", "parse")
        parts.append(text[pos:start])
        parts.append((start, text[start + 2 : end]))
        pos = end + 2


def _pipeline(source: str) -> list[list[str]]:
    commands: list[list[str]] = [[]]
    for token in _TOKEN.findall(source.strip().strip("-").strip()):
        if token == "|":
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]


class TinyRenderer:
    def __init__(
        self,
        user_vars: Mapping[str, str] | None = None,
        *,
        build_name: str = "",
        build_type: str = "",
        template_dir: str = "",
        pwd: str = "",
        build_data: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.user_vars = dict(user_vars or {})
        self.build_name = build_name
        self.build_type = build_type
        self.template_dir = template_dir
        self.pwd = pwd
        self.build_data = build_data
        self.env = env  # None: env is not allowed here (component configs)

    def validate(self, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> None:
        known = KNOWN_FUNCS | extra_funcs
        for part in _actions(text):
            if isinstance(part, str):
                continue
            offset, source = part
            line = text.count("\n", 0, offset) + 1
            for command in _pipeline(source):
                for token in command:
                    if token[0] in '"`.$(' or token in KEYWORDS or re.fullmatch(r"-?[0-9.]+|true|false", token):
                        continue
                    if token not in known:
                        raise TinyInterpolationError(f'template: root:{line}: function "{token}" not defined', "parse")

    def __call__(self, text: str, *, extra_funcs: frozenset[str] = frozenset()) -> str:
        self.validate(text, extra_funcs=extra_funcs)
        out: list[str] = []
        skipping: list[bool] = []
        for part in _actions(text):
            if isinstance(part, str):
                if not any(skipping):
                    out.append(part)
                continue
            offset, source = part
            commands = _pipeline(source)
            head = commands[0][0] if commands else ""
            if head == "if":
                skipping.append(not self._truthy(self._eval([commands[0][1:], *commands[1:]], text, offset, source)))
                continue
            if head == "else":
                skipping[-1] = not skipping[-1]
                continue
            if head == "end":
                skipping.pop()
                continue
            if any(skipping):
                continue
            out.append(str(self._eval(commands, text, offset, source)))
        return "".join(out)

    @staticmethod
    def _truthy(value: object) -> bool:
        return bool(value) and value != "<no value>"

    def _eval(self, commands: list[list[str]], text: str, offset: int, source: str) -> object:
        value: object = None
        for index, command in enumerate(commands):
            args = [self._arg(t) for t in command[1:]]
            if index > 0:
                args.append(value)
            value = self._call(command[0], args, text, offset, source)
        return value

    def _arg(self, token: str) -> object:
        if token[0] == "`":
            return token[1:-1]
        if token[0] == '"':
            return bytes(token[1:-1], "utf-8").decode("unicode_escape")
        if re.fullmatch(r"-?[0-9]+", token):
            return int(token)
        return self._call(token, [], "", 0, "")

    def _call(self, name: str, args: list[object], text: str, offset: int, source: str) -> object:
        def exec_error(message: str) -> TinyInterpolationError:
            line = text.count("\n", 0, offset) + 1
            column = offset + 2 - (text.rfind("\n", 0, offset) + 1) + (len(source) - len(source.lstrip()))
            node = source.strip()
            return TinyInterpolationError(
                f'template: root:{line}:{column}: executing "root" at <{node}>: error calling {name}: {message}',
                "exec",
            )

        if name.startswith("."):
            return "<no value>"
        if name[0] in '"`':
            return self._arg(name)
        if name == "user":
            return self.user_vars.get(str(args[0]), "")
        if name == "env":
            if self.env is None:
                raise exec_error("env vars are not allowed here")
            return self.env.get(str(args[0]), "")
        if name == "build":
            if not self.build_data:
                raise exec_error(
                    f"Error validating build variable: the given variable {args[0]} will not be passed into your "
                    "plugin."
                )
            return "{{." + str(args[0]) + "}}"
        simple: dict[str, object] = {
            "timestamp": str(int(_START)),
            "isotime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(_START)),
            "uuid": str(uuid.uuid4()),
            "pwd": self.pwd,
            "template_dir": self.template_dir,
            "build_name": self.build_name,
            "build_type": self.build_type,
            "packer_version": "1.6.6",
        }
        if name == "isotime" and args:
            layout = str(args[0])
            for go, c in (
                ("2006", "%Y"),
                ("01", "%m"),
                ("02", "%d"),
                ("15", "%H"),
                ("03", "%I"),
                ("04", "%M"),
                ("05", "%S"),
            ):
                layout = layout.replace(go, c)
            return time.strftime(layout, time.gmtime(_START))
        if name in simple:
            return simple[name]
        if name == "upper":
            return str(args[-1]).upper()
        if name == "lower":
            return str(args[-1]).lower()
        if name == "clean_resource_name":
            return clean_resource_name(str(args[-1]))
        if name == "replace_all":
            return str(args[2]).replace(str(args[0]), str(args[1]))
        if name == "replace":
            return str(args[3]).replace(str(args[0]), str(args[1]), int(args[2]))  # type: ignore[call-overload]
        if name == "split":
            return str(args[0]).split(str(args[1]))[int(args[2])]  # type: ignore[call-overload]
        if name in ("eq", "ne"):
            same = args[0] == args[1]
            return same if name == "eq" else not same
        return ""
