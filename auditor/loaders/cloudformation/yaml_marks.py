"""Load a CloudFormation template and remember where every value and key came from.

cfn-flip's `CfnYamlLoader` turns short-form tags (`!Sub`, `!GetAtt A.B`) into their long form
but keeps no positions. `MarkedCfnLoader` subclasses it and builds the data itself from the
composed node tree, so each container gets a side table of its children's spans (keys too)
and duplicate keys are caught instead of silently overwritten. Values are plain dicts, lists
and scalars, as `json.loads` would give, so JSON templates (read with `auditor.policy.jsonloc`)
fill the same `Template`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.cyaml
from cfn_tools.yaml_loader import CfnYamlLoader

from auditor.policy import jsonloc
from auditor.policy.model import Path, Span

# (line, column, end line, end column), 1-based, end exclusive; tuples keep loading cheap.
RawSpan = tuple[int, int, int, int]
# What a container knows about one child: key span (None in lists), value span, scalar style
# ('|', '>', '"', "'", '' for plain, None for containers) used to locate JSON inside strings.
Child = tuple["RawSpan | None", RawSpan, "str | None"]

_STR = "tag:yaml.org,2002:str"
_UNCONVERTED = ("Ref", "Condition")  # the tags cfn-flip does not prefix with Fn::


@dataclass
class Template:
    """A parsed template with the positions of everything in it."""

    file: str
    text: str
    value: Any
    root: RawSpan
    # id(dict) -> {key: Child}; id(list) -> [Child]. Ids are stable: every container is kept
    # alive by `value` for as long as the Template lives.
    children: dict[int, Any] = field(default_factory=dict)
    # Faults found while reading (duplicate keys, recovered JSON faults), by the id of the
    # container they are in, so they can be attached to the policy that contains them.
    faults: dict[int, list[tuple[str, RawSpan]]] = field(default_factory=dict)
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def span(self, raw: RawSpan) -> Span:
        return Span(self.file, *raw)


class TemplateError(Exception):
    """The template cannot be read at all; `span` says where."""

    def __init__(self, span: RawSpan, message: str) -> None:
        super().__init__(message)
        self.span = span
        self.message = message


def _raw(node: yaml.Node) -> RawSpan:
    s, e = node.start_mark, node.end_mark
    return (s.line + 1, s.column + 1, e.line + 1, e.column + 1)


class MarkedCfnLoader(CfnYamlLoader):
    """cfn-flip's loader, building located data from the node tree in one pass."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._init_marks(stream)

    def _init_marks(self, stream: str) -> None:
        self.children: dict[int, Any] = {}
        self.faults: dict[int, list[tuple[str, RawSpan]]] = {}
        self._source = stream
        self._text_lines: list[str] | None = None
        # Reading a JSON template already known to be valid JSON: plain scalars are JSON's.
        self.json_mode = False

    def located(self) -> tuple[Any, RawSpan]:
        node = self.get_single_node()
        if node is None:
            raise TemplateError((1, 1, 1, 1), "the template is empty")
        return self.build(node)

    def build(self, node: yaml.Node) -> tuple[Any, RawSpan]:
        """The value of a node and its span."""
        tag = node.tag
        if tag.startswith("!"):
            return self._intrinsic(node, tag[1:])
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node), self._scalar_span(node)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        raise TemplateError(_raw(node), f"unexpected YAML node {node!r}")

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if self.json_mode and not node.style:
            return json.loads(node.value)  # YAML 1.1 would read 1e5 as a string
        if tag == _STR:
            return node.value
        if tag == "tag:yaml.org,2002:int":
            return self.construct_yaml_int(node)
        if tag == "tag:yaml.org,2002:bool":
            return self.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:float":
            return self.construct_yaml_float(node)
        # Timestamps (`Version: 2012-10-17` unquoted) and anything else stay the text written:
        # CloudFormation reads them as strings, where SafeLoader would make a date.
        return node.value

    def _scalar_span(self, node: yaml.ScalarNode) -> RawSpan:
        span = _raw(node)
        if node.style in ("|", ">") and span[3] == 1 and span[2] > span[0] + 1:
            # A block scalar ends where the next token starts: end it after its last text.
            lines = self._lines()
            last = span[2] - 2  # 0-based index of the line before the end mark
            while last > span[0] and not lines[last].strip():
                last -= 1
            return (span[0], span[1], last + 1, len(lines[last].rstrip()) + 1)
        return span

    def _lines(self) -> list[str]:
        if self._text_lines is None:
            self._text_lines = self._source.split("\n")
        return self._text_lines

    def _sequence(self, node: yaml.SequenceNode) -> tuple[list[Any], RawSpan]:
        out: list[Any] = []
        spans: list[Child] = []
        for child in node.value:
            value, span = self.build(child)
            out.append(value)
            spans.append((None, span, _style(child)))
        self.children[id(out)] = spans
        return out, _collection_span(node, spans[-1][1] if spans else None)

    def _mapping(self, node: yaml.MappingNode) -> tuple[dict[str, Any], RawSpan]:
        out: dict[str, Any] = {}
        spans: dict[str, Child] = {}
        last: RawSpan | None = None
        for key_node, value_node in node.value:
            # CloudFormation keys are strings: keep `On:` or `2012:` as written, not as bool/int.
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(self.build(key_node)[0])
            key_span = _raw(key_node)
            if key in spans:
                first = spans[key][0]
                where = f" (first at line {first[0]})" if first else ""
                self.faults.setdefault(id(out), []).append(
                    (f"duplicate key \"{key}\"{where}: CloudFormation rejects the template", key_span))
            out[key], last = self.build(value_node)
            spans[key] = (key_span, last, _style(value_node))
        self.children[id(out)] = spans
        return out, _collection_span(node, last)

    def _intrinsic(self, node: yaml.Node, suffix: str) -> tuple[dict[str, Any], RawSpan]:
        """`!Sub x` -> {"Fn::Sub": x}, as cfn-flip's multi_constructor does, with marks."""
        name = suffix if suffix in _UNCONVERTED else "Fn::" + suffix
        inner: Any
        if isinstance(node, yaml.ScalarNode):
            whole = self._scalar_span(node)
            if name == "Fn::GetAtt":
                inner = node.value.split(".", 1)
                self.children[id(inner)] = [(None, whole, "")] * len(inner)
            else:
                inner = node.value  # cfn-flip uses construct_scalar: the text, untyped
        elif isinstance(node, yaml.SequenceNode):
            inner, whole = self._sequence(node)
        else:
            inner, whole = self._mapping(node)  # type: ignore[arg-type]
        start = _raw(node)
        whole = (start[0], start[1], whole[2], whole[3])
        out = {name: inner}
        # The key is the tag itself; the value spans the whole tagged node.
        tag_span = (start[0], start[1], start[0], start[1] + len(suffix) + 1)
        self.children[id(out)] = {name: (tag_span, whole, _style(node))}
        return out, whole


def _collection_span(node: yaml.Node, last: RawSpan | None) -> RawSpan:
    """A block collection ends with its last item (libyaml ends it at the next token)."""
    span = _raw(node)
    if node.flow_style or last is None:
        return span
    return (span[0], span[1], last[2], last[3])


def _style(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return node.style or ""
    return None


if getattr(yaml, "__with_libyaml__", False):

    class _FastMarkedLoader(yaml.cyaml.CParser, MarkedCfnLoader):  # type: ignore[misc]
        """The same loader over libyaml's parser and composer (an order of magnitude faster)."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._init_marks(stream)

    _LOADER: type[MarkedCfnLoader] = _FastMarkedLoader
else:  # pragma: no cover - libyaml is in every PyYAML wheel
    _LOADER = MarkedCfnLoader


def looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] == "{"


def load_yaml(text: str, file: str) -> Template:
    loader = _LOADER(text)
    try:
        value, root = loader.located()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, exc.problem) if x) or str(exc)
        raise TemplateError((line, col, line, col + 1), f"the template is not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise TemplateError((1, 1, 1, 1), f"the template is not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return Template(file, text, value, root, loader.children, loader.faults)


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Duplicate
    return out


def _valid_json(text: str, file: str) -> Template | None:
    """Valid JSON without duplicate keys, located by libyaml (JSON is YAML's flow style),
    several times faster than the pure-Python located parser; None to take the slow path."""
    try:
        json.loads(text, object_pairs_hook=_no_duplicates)
    except (ValueError, _Duplicate, RecursionError):
        return None
    loader = _LOADER(text)
    loader.json_mode = True
    try:
        value, root = loader.located()
    except (yaml.YAMLError, TemplateError, ValueError):
        return None  # escapes libyaml does not take (surrogate pairs), say
    finally:
        loader.dispose()
    return Template(file, text, value, root, loader.children, loader.faults)


def load_json(text: str, file: str) -> Template:
    """A JSON template. Faulty JSON goes through the located JSON parser, so faults such as a
    trailing comma are recorded where they are (CloudFormation rejects them) and the rest is
    still audited."""
    fast = _valid_json(text, file)
    if fast is not None:
        return fast
    result = jsonloc.parse(text, file)
    fatal = [e for e in result.errors if e.fatal]
    if result.value is None or fatal:
        e = fatal[0] if fatal else None
        span = _tuple(e.span) if e else (1, 1, 1, 1)
        raise TemplateError(span, f"the template is not valid JSON: {e.message if e else 'no value'}")
    children: dict[int, Any] = {}
    by_path: dict[Path, int] = {}
    _index_json(result.value, (), result.locations.values, result.locations.keys, children, by_path)
    faults: dict[int, list[tuple[str, RawSpan]]] = {}
    for err in result.errors:
        cid = by_path.get(tuple(err.path), id(result.value))
        message = err.message
        if message.startswith("duplicate key"):
            message = message.replace("only the last one counts", "CloudFormation rejects the template")
        faults.setdefault(cid, []).append((message, _tuple(err.span)))
    root = result.locations.values.get((), Span(file, 1, 1, 1, 1))
    return Template(file, text, result.value, _tuple(root), children, faults)


def _index_json(value: Any, path: Path, values: dict[Path, Span], keys: dict[Path, Span],
                children: dict[int, Any], by_path: dict[Path, int]) -> None:
    """Turn jsonloc's path -> span tables into the per-container side tables."""
    if isinstance(value, dict):
        by_path[path] = id(value)
        table: dict[str, Child] = {}
        for k, v in value.items():
            p = path + (k,)
            ks = keys.get(p)
            table[k] = (_tuple(ks) if ks else None, _tuple(values[p]), '"' if isinstance(v, str) else None)
            _index_json(v, p, values, keys, children, by_path)
        children[id(value)] = table
    elif isinstance(value, list):
        by_path[path] = id(value)
        items: list[Child] = []
        for i, v in enumerate(value):
            p = path + (i,)
            items.append((None, _tuple(values[p]), '"' if isinstance(v, str) else None))
            _index_json(v, p, values, keys, children, by_path)
        children[id(value)] = items


def _tuple(span: Span) -> RawSpan:
    return (span.line, span.column, span.end_line, span.end_column)


def load_template(text: str, file: str) -> Template:
    """Parse YAML or JSON (by its first character); raises TemplateError."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return load_json(text, file) if looks_like_json(text) else load_yaml(text, file)
