"""Legacy JSON templates → the template model, with Packer 1.6.6's checks and wording.

Packer parses a JSON template in stages, and each stage fails with its own words; we keep the stages:

1. syntax (Go's scanner messages + ``highlightPosition``), then duplicate keys at any depth;
2. the root object, decoded strictly (``'' expected a map, got 'slice'``, ``1 error(s) decoding:`` for root fields of
   the wrong type);
3. unknown root keys (sorted), where ``_``-prefixed keys are string comments;
4. variables, builders, post-processors, provisioners and the error-cleanup provisioner, each error collected in one
   go-multierror list (``1 error occurred:\\n\\t* builder 1: missing 'type'``).

Every failure raises ``TemplateParseError`` whose text is what Packer prints after ``Failed to parse template: ``.
"""

from __future__ import annotations

import os
from pathlib import Path

from packer_py import gofmt
from packer_py.errors import Pos, TemplateError, TemplateParseError
from packer_py.findings import Finding, locate
from packer_py.goparse import GoParseError, parse_duration
from packer_py.template.jsonread import DuplicateKeyError, JSONSyntaxError, highlight, read_json
from packer_py.template.model import (
    Build,
    BuildSource,
    Chain,
    Config,
    JSONValue,
    PostProcessor,
    Provisioner,
    Source,
    Template,
    Variable,
)
from packer_py.template.positions import DocPath, PositionMap

E_UNKNOWN_ROOT_KEY = "E010"
"""Finding code of a root key Packer does not know (``Unknown root level key in template``)."""
E_TEMPLATE_STRUCTURE = "E011"
"""Finding code of a malformed builder, provisioner, post-processor or variable entry (``missing 'type'``)."""

# root fields as Packer's rawTemplate declares them: key -> (mapstructure field name used in messages, kind)
_ROOT_FIELDS: dict[str, tuple[str, str]] = {
    "min_packer_version": ("min_packer_version", "string"),
    "description": ("Description", "string"),
    "builders": ("builders", "slice"),
    "comments": ("Comments", "comments"),
    "push": ("Push", "map"),
    "post-processors": ("post-processors", "slice"),
    "provisioners": ("Provisioners", "slice"),
    "error-cleanup-provisioner": ("error-cleanup-provisioner", "any"),
    "variables": ("Variables", "map"),
    "sensitive-variables": ("sensitive-variables", "strings"),
}


def load_json_template(path: str | os.PathLike[str]) -> Template:
    """Read and parse a legacy JSON template file."""
    path = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise TemplateError(f"{gofmt.quote(path)}: stat {path}: no such file or directory") from exc
    except IsADirectoryError as exc:
        raise TemplateError(f"Failed to parse template: read {path}: is a directory") from exc
    except OSError as exc:
        raise TemplateError(f"{gofmt.quote(path)}: {exc.strerror}") from exc
    return parse_json_template(data, path)


def parse_json_template(data: bytes, path: str) -> Template:
    positions = PositionMap(path)
    try:
        raw = read_json(data, positions)
    except JSONSyntaxError as exc:
        line, col, context = highlight(data, exc.offset)
        raise TemplateParseError(
            f"Error parsing JSON: {exc.msg}\nAt line {line}, column {col} (offset {exc.offset}):\n{context}",
            where=Pos(path, line, col),
        ) from None
    except DuplicateKeyError as exc:
        raise TemplateParseError(f"template has duplicate field: {exc.key}", where=positions.locate(exc.path)) from None
    return _Builder(raw, path, positions).template()


class _Builder:
    def __init__(self, raw: JSONValue, path: str, positions: PositionMap) -> None:
        self.raw = raw
        self.path = path
        self.positions = positions
        self.errors: list[str] = []
        self.located: list[Finding] = []

    def at(self, doc_path: DocPath) -> Pos:
        return self.positions.locate(doc_path)

    def _error(self, message: str, doc_path: DocPath) -> None:
        """One entry of Packer's go-multierror list, and where in the file it sits."""
        self.errors.append(message)
        self.located.append(locate(doc_path, E_TEMPLATE_STRUCTURE, message, self.positions))

    def template(self) -> Template:
        raw = self.raw
        if not isinstance(raw, dict):
            raise TemplateParseError(f"'' expected a map, got '{gofmt.kind_name(raw)}'", where=self.at(()))
        self._check_root_types(raw)
        comments = self._check_unknown_root_keys(raw)

        variables = self._variables(raw)
        sources = self._builders(raw)
        chains = self._post_processors(raw)
        provisioners = [
            p for i, v in enumerate(_items(raw, "provisioners")) if (p := self._provisioner(v, ("provisioners", i)))
        ]
        cleanup = None
        if raw.get("error-cleanup-provisioner") is not None:
            cleanup = self._provisioner(
                raw["error-cleanup-provisioner"],
                ("error-cleanup-provisioner",),
                prefix="On Error Cleanup Provisioner error",
            )
        if self.errors:
            raise TemplateParseError(gofmt.go_multierror(self.errors), where=self.at(()), locations=tuple(self.located))

        build = Build(
            sources=[BuildSource(s) for s in sources.values()],
            provisioners=provisioners,
            post_processors=chains,
            error_cleanup_provisioner=cleanup,
            pos=self.at(()),
        )
        sensitive = [s for s in _items(raw, "sensitive-variables") if isinstance(s, str)]
        for name in sensitive:
            if name in variables:
                variables[name].sensitive = True
        comment_map = dict(comments)
        for entry in _items(raw, "comments"):
            if isinstance(entry, dict):
                comment_map.update({k: str(v) for k, v in entry.items()})
        desc = raw.get("description")
        minv = raw.get("min_packer_version")
        return Template(
            path=self.path,
            format="json",
            variables=variables,
            sources=sources,
            builds=[build],
            positions=self.positions,
            description=desc if isinstance(desc, str) else None,
            min_packer_version=minv if isinstance(minv, str) else None,
            sensitive_variables=sensitive,
            comments=comment_map,
        )

    # -- root --------------------------------------------------------------------------------------------------
    def _check_root_types(self, raw: dict[str, JSONValue]) -> None:
        """mapstructure's strict decode of the root into rawTemplate: all field errors at once."""
        errs: list[str] = []
        for key, (field, kind) in _ROOT_FIELDS.items():
            if key not in raw or raw[key] is None:
                continue
            value = raw[key]
            if kind == "string" and not isinstance(value, str):
                errs.append(gofmt.unconvertible(field, "string", value))
            elif kind == "slice" and not isinstance(value, list):
                errs.append(f"'{field}': source data must be an array or slice, got {gofmt.kind_name(value)}")
            elif kind == "map" and not isinstance(value, dict):
                errs.append(f"'{field}' expected a map, got '{gofmt.kind_name(value)}'")
            elif kind == "strings":
                if not isinstance(value, list):
                    errs.append(f"'{field}': source data must be an array or slice, got {gofmt.kind_name(value)}")
                else:
                    for i, item in enumerate(value):
                        if not isinstance(item, str):
                            errs.append(gofmt.unconvertible(f"{field}[{i}]", "string", item))
            elif kind == "comments":
                if not isinstance(value, list):
                    errs.append(f"'{field}': source data must be an array or slice, got {gofmt.kind_name(value)}")
                else:
                    for i, item in enumerate(value):
                        if not isinstance(item, dict):
                            errs.append(f"'{field}[{i}]' expected a map, got '{gofmt.kind_name(item)}'")
                        else:
                            for k, v in item.items():
                                if not isinstance(v, str):
                                    errs.append(gofmt.unconvertible(f"{field}[{i}][{k}]", "string", v))
        if errs:
            key = next(k for k in _ROOT_FIELDS if k in raw and raw[k] is not None)
            raise TemplateParseError(gofmt.mapstructure_error(errs), where=self.at((key,)))

    def _check_unknown_root_keys(self, raw: dict[str, JSONValue]) -> list[tuple[str, str]]:
        unknown = sorted(k for k in raw if k not in _ROOT_FIELDS)
        comments: list[tuple[str, str]] = []
        errs: list[str] = []
        located: list[Finding] = []
        for key in unknown:
            if key.startswith("_"):
                value = raw[key]
                if not isinstance(value, str):
                    raise TemplateParseError(
                        f'Failed to cast root level comment value in comment "{key}" to string.', where=self.at((key,))
                    )
                comments.append((key, value))
                continue
            errs.append(f"Unknown root level key in template: '{key}'")
            located.append(locate((key,), E_UNKNOWN_ROOT_KEY, errs[-1], self.positions))
        if errs:
            raise TemplateParseError(gofmt.go_multierror(errs), where=self.at((unknown[0],)), locations=tuple(located))
        return comments

    # -- variables ---------------------------------------------------------------------------------------------
    def _variables(self, raw: dict[str, JSONValue]) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        for name, value in (raw.get("variables") or {}).items():  # type: ignore[union-attr]
            pos = self.at(("variables", name))
            if value is not None and not isinstance(value, str):
                self._error(f"variable {name}: {gofmt.unconvertible('', 'string', value)}", ("variables", name))
                continue
            out[name] = Variable(name=name, default=value, required=value is None, pos=pos)
        return out

    # -- builders ----------------------------------------------------------------------------------------------
    def _builders(self, raw: dict[str, JSONValue]) -> dict[str, Source]:
        out: dict[str, Source] = {}
        for i, rb in enumerate(_items(raw, "builders")):
            path: DocPath = ("builders", i)
            if not isinstance(rb, dict):
                self._error(f"builder {i + 1}: '' expected a map, got '{gofmt.kind_name(rb)}'", path)
                continue
            weak = [gofmt.weak_string_error(k, rb[k]) for k in ("name", "type") if k in rb]
            weak_errs = [e for e in weak if e]
            if weak_errs:
                self._error(f"builder {i + 1}: {gofmt.mapstructure_error(weak_errs)}", path)
                continue
            btype = gofmt.weak_string(rb.get("type"))
            name = gofmt.weak_string(rb.get("name"))
            if not btype:
                self._error(f"builder {i + 1}: missing 'type'", path)
                continue
            name = name or btype
            if name in out:
                self._error(f"builder {i + 1}: builder with name '{name}' already exists", path)
                continue
            config: Config = {k: v for k, v in rb.items() if k not in ("name", "type")}
            out[name] = Source(type=btype, name=name, config=config, path=path, pos=self.at(path))
        return out

    # -- post-processors ---------------------------------------------------------------------------------------
    def _post_processors(self, raw: dict[str, JSONValue]) -> list[Chain]:
        chains: list[Chain] = []
        for i, entry in enumerate(_items(raw, "post-processors")):
            items: list[tuple[DocPath, dict[str, JSONValue]]] = []
            if isinstance(entry, str):
                items = [(("post-processors", i), {"type": entry})]
            elif isinstance(entry, dict):
                items = [(("post-processors", i), entry)]
            elif isinstance(entry, list):
                seq_errors: list[tuple[str, DocPath]] = []
                for j, inner in enumerate(entry):
                    if isinstance(inner, str):
                        items.append((("post-processors", i, j), {"type": inner}))
                    elif isinstance(inner, dict):
                        items.append((("post-processors", i, j), inner))
                    elif isinstance(inner, list):
                        seq_errors.append(
                            (
                                f"post-processor {i + 1}.{j + 1}: sequence not allowed to be nested in a sequence",
                                ("post-processors", i, j),
                            )
                        )
                    else:
                        seq_errors.append(
                            (f"post-processor {i + 1}.{j + 1}: unknown format", ("post-processors", i, j))
                        )
                if seq_errors:
                    # go-multierror flattens a nested multierror into the outer list
                    for message, where in seq_errors:
                        self._error(message, where)
                    continue
            else:
                self._error(f"post-processor {i + 1}: bad format", ("post-processors", i))
                continue
            chain: Chain = []
            for j, (path, cfg) in enumerate(items):
                pp = self._post_processor(cfg, path, f"post-processor {i + 1}.{j + 1}")
                if pp is not None:
                    chain.append(pp)
            chains.append(chain)
        return chains

    def _post_processor(self, cfg: dict[str, JSONValue], path: DocPath, label: str) -> PostProcessor | None:
        errs: list[str] = []
        for key, field in (("name", "Name"), ("type", "Type")):
            if key in cfg and cfg[key] is not None and not isinstance(cfg[key], str):
                errs.append(gofmt.unconvertible(field, "string", cfg[key]))
        only, e1 = _string_list(cfg.get("only"), "only", weak=False)
        exc, e2 = _string_list(cfg.get("except"), "except", weak=False)
        errs += e1 + e2
        keep = cfg.get("keep_input_artifact")
        if keep is not None and not isinstance(keep, bool):
            errs.append(gofmt.unconvertible("keep_input_artifact", "bool", keep))
        if errs:
            self._error(f"{label}: {gofmt.mapstructure_error(errs)}", path)
            return None
        ptype = cfg.get("type") or ""
        if not ptype:
            self._error(f"{label}: type is required", path)
            return None
        assert isinstance(ptype, str)
        name = cfg.get("name") or ptype
        assert isinstance(name, str)
        config = {k: v for k, v in cfg.items() if k not in ("except", "only", "keep_input_artifact", "type", "name")}
        return PostProcessor(
            type=ptype,
            name=name,
            config=config,
            path=path,
            pos=self.at(path),
            only=only,
            except_=exc,
            keep_input_artifact=keep if isinstance(keep, bool) else None,
        )

    # -- provisioners ------------------------------------------------------------------------------------------
    def _provisioner(self, raw: JSONValue, path: DocPath, prefix: str | None = None) -> Provisioner | None:
        label = prefix if prefix is not None else f"provisioner {path[-1] + 1}"  # type: ignore[operator]
        if not isinstance(raw, dict):
            self._error(f"{label}: Error decoding provisioner: '' expected a map, got '{gofmt.kind_name(raw)}'", path)
            return None
        errs: list[str] = []
        ptype = raw.get("type")
        e = gofmt.weak_string_error("Type", ptype) if ptype is not None else None
        if e:
            errs.append(e)
        only, e1 = _string_list(raw.get("only"), "only", weak=True)
        exc, e2 = _string_list(raw.get("except"), "except", weak=True)
        errs += e1 + e2
        override = raw.get("override")
        if override is not None and not isinstance(override, dict):
            errs.append(f"'Override' expected a map, got '{gofmt.kind_name(override)}'")
        pause, e3 = _duration(raw.get("pause_before"), "pause_before")
        timeout, e4 = _duration(raw.get("timeout"), "timeout")
        errs += e3 + e4
        retries = raw.get("max_retries")
        e = gofmt.weak_string_error("max_retries", retries) if retries is not None else None
        if e:
            errs.append(e)
        if errs:
            self._error(f"{label}: Error decoding provisioner: {gofmt.mapstructure_error(errs)}", path)
            return None
        type_str = gofmt.weak_string(ptype)
        if not type_str:
            self._error(f"{label}: Provisioner missing 'type'", path)
            return None
        config = {
            k: v
            for k, v in raw.items()
            if k not in ("except", "only", "override", "pause_before", "max_retries", "type", "timeout")
        }
        overrides: dict[str, Config] = {}
        for name, value in (override or {}).items():  # type: ignore[union-attr]
            overrides[name] = value if isinstance(value, dict) else {}
        return Provisioner(
            type=type_str,
            config=config,
            path=path,
            pos=self.at(path),
            only=only,
            except_=exc,
            override=overrides,
            pause_before=pause,
            max_retries=gofmt.weak_string(retries) if retries is not None else None,
            timeout=timeout,
        )


def _items(raw: dict[str, JSONValue], key: str) -> list[JSONValue]:
    """A root list field (its type was checked by ``_check_root_types``; absent or null is empty)."""
    value = raw.get(key)
    return value if isinstance(value, list) else []


def _string_list(value: JSONValue, field: str, *, weak: bool) -> tuple[list[str], list[str]]:
    """Decode an ``only``/``except`` list. A lone string is taken as a one-element list (mapstructure does)."""
    if value is None:
        return [], []
    if not isinstance(value, list):
        value = [value]
    out: list[str] = []
    errs: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            out.append(item)
        elif weak and not isinstance(item, (list, dict)):
            out.append(gofmt.weak_string(item))
        else:
            errs.append(gofmt.unconvertible(f"{field}[{i}]", "string", item))
    return out, errs


def _duration(value: JSONValue, field: str) -> tuple[str | None, list[str]]:
    """A Go duration as the StringToTimeDuration hook reads it; numbers are nanoseconds."""
    if value is None:
        return None, []
    if isinstance(value, bool):
        return None, [gofmt.unconvertible(field, "int64", value)]
    if isinstance(value, (int, float)):
        return f"{int(value)}ns", []
    if isinstance(value, str):
        try:
            parse_duration(value)
        except GoParseError as exc:
            return None, [f"error decoding '{field}': {exc}"]
        return value, []
    return None, [gofmt.unconvertible(field, "int64", value)]
