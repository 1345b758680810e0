"""YAML for the interchange format: load with line numbers, dump in a stable, readable form.

Loading is built from the parser's events (libyaml's when installed), one value at a time and
without recursion, under hard limits, so no file can make reading it slow or large: a size
limit, a depth limit, a limit on the number of values, and no aliases (``*name``: the format
never needs them, and an alias to a list or mapping is how a few hundred bytes expand to
gigabytes). Only plain data is built — text, numbers, true/false, null, lists and mappings
with text keys; any other YAML tag is refused. Every refusal is a ``YamlSyntaxError`` with the
line it concerns.

Dates stay ISO strings (no timestamp conversion) so a document is plain JSON-like data that
the JSON Schema can check and that round-trips unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]

MAX_BYTES = 5 * 1024 * 1024  # the web upload limit; the bundled example is 100 kB
MAX_DEPTH = 40  # the format nests at most 6 levels
MAX_VALUES = 100_000  # the bundled example holds about 2,000
MAX_INTEGER = 2**63 - 1  # what a database integer column can hold


class YamlSyntaxError(ValueError):
    """Text that cannot be read as a document: a YAML error or a refused construct."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Resolver(yaml.resolver.Resolver):
    """Implicit types of plain scalars: YAML 1.1 without timestamps (2009-11-29 stays the
    string '2009-11-29'), merge keys or value keys (``<<`` and ``=`` stay text)."""


_Resolver.yaml_implicit_resolvers = {
    key: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag.rsplit(":", 1)[-1] not in ("timestamp", "merge", "value")
    ]
    for key, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}
_COLLECTION_TAGS = {None, "!", f"{_TAG}map", f"{_TAG}seq"}
_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "null"}
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; the format needs fewer than 10"
_RESOLVER = _Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _PythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser, used when libyaml is not installed."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _parser(text: str) -> Any:
    if yaml.__with_libyaml__:
        from yaml._yaml import CParser

        return CParser(text)
    return _PythonParser(text)


def _line(event: yaml.Event) -> int:
    mark: Any = event.start_mark
    return int(mark.line) + 1 if mark is not None else 1


def _tag(tag: str | None) -> str:
    if tag is None:
        return "?"
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _shown(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


@dataclass
class _Open:
    """A list or mapping being read: its value, where it is, and a key awaiting its value."""

    value: dict[str, Any] | list[Any]
    path: Path
    key: str | None = None
    key_line: int = 0


@dataclass
class _Reading:
    """The state of reading one document from parser events."""

    lines: dict[Path, int] = field(default_factory=dict)
    open: list[_Open] = field(default_factory=list)
    root: Any = None
    values: int = 0

    def take(self, event: yaml.Event) -> None:
        """Add the value that ``event`` starts (or end the list or mapping it closes)."""
        if isinstance(event, yaml.AliasEvent):
            raise YamlSyntaxError(
                f"YAML aliases (*{event.anchor}) are not allowed in an assessment file; "
                "write the value out in full",
                _line(event),
            )
        if isinstance(event, yaml.CollectionEndEvent):
            self.open.pop()
            return
        parent = self.open[-1] if self.open else None
        if parent is not None and isinstance(parent.value, dict) and parent.key is None:
            self._key(parent, event)
            return
        self.values += 1
        if self.values > MAX_VALUES:
            raise YamlSyntaxError(
                f"more than {MAX_VALUES:,} values; an assessment file holds far fewer",
                _line(event),
            )
        if parent is None:
            path: Path = ()
        elif isinstance(parent.value, dict):
            assert parent.key is not None
            path = (*parent.path, parent.key)
        else:
            path = (*parent.path, len(parent.value))
        value = self._value(event, path)
        self._attach(parent, path, value, _line(event))

    def _key(self, mapping: _Open, event: yaml.Event) -> None:
        if not isinstance(event, yaml.ScalarEvent):
            kind = "a mapping" if isinstance(event, yaml.MappingStartEvent) else "a list"
            raise YamlSyntaxError(f"a field name must be text, not {kind}", _line(event))
        key = str(event.value)
        assert isinstance(mapping.value, dict)
        if key in mapping.value:
            raise YamlSyntaxError(f"duplicate key {_shown(key)}", _line(event))
        mapping.key, mapping.key_line = key, _line(event)

    def _value(self, event: yaml.Event, path: Path) -> Any:
        if isinstance(event, yaml.ScalarEvent):
            return _scalar(event)
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if event.tag not in _COLLECTION_TAGS:
                raise YamlSyntaxError(
                    f"the YAML tag {_tag(event.tag)} is not allowed in an assessment file",
                    _line(event),
                )
            if len(self.open) >= MAX_DEPTH:
                raise YamlSyntaxError(_TOO_DEEP, _line(event))
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            self.open.append(_Open(container, path))
            return container
        raise YamlSyntaxError(f"unexpected YAML event {event!r}", _line(event))

    def _attach(self, parent: _Open | None, path: Path, value: Any, line: int) -> None:
        if parent is None:
            self.root = value
            self.lines[path] = line
        elif isinstance(parent.value, dict):
            assert parent.key is not None
            parent.value[parent.key] = value
            self.lines[path] = parent.key_line  # a field is where its name is
            parent.key = None
        else:
            parent.value.append(value)
            self.lines[path] = line


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Text, a whole or decimal number, true/false or null; anything else is refused."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _SCALAR_TAGS:
        raise YamlSyntaxError(
            f"the YAML tag {_tag(tag)} is not allowed in an assessment file", _line(event)
        )
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    kind = _KINDS.get(tag.removeprefix(_TAG), "text")
    try:
        value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
    except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        raise YamlSyntaxError(
            f"{_shown(event.value)} cannot be read as {kind}", _line(event)
        ) from exc
    if isinstance(value, float) and not math.isfinite(value):
        raise YamlSyntaxError(f"{_shown(event.value)} is not a finite number", _line(event))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        raise YamlSyntaxError(f"{_shown(event.value)} is too large a number", _line(event))
    return value


def _line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _check_size(text: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        cut = text.encode("utf-8", "surrogatepass")[:MAX_BYTES].count(b"\n") + 1
        raise YamlSyntaxError(
            f"larger than {MAX_BYTES // 1024 // 1024} MB ({size:,} bytes); "
            "an assessment file is far smaller",
            cut,
        )


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML text; return the data and the 1-based line of every value, by path.

    Raises ``YamlSyntaxError`` (with a line) for a syntax error or a refused construct."""
    _check_size(text)
    reading = _Reading()
    parser = None
    try:
        parser = _parser(text)
        _read_events(parser, reading)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context
        if problem and "maximum nesting depth" in problem:  # libyaml's own limit, at 1,000
            problem = _TOO_DEEP
        else:
            problem = f"YAML syntax: {problem}"
        raise YamlSyntaxError(problem, line) from exc
    except yaml.reader.ReaderError as exc:
        character = chr(exc.character) if isinstance(exc.character, int) else exc.character
        found = text.find(character) if isinstance(character, str) else -1
        line = _line_of_offset(text, found) if found >= 0 else None
        raise YamlSyntaxError(
            f"YAML: {exc.reason} (character U+{ord(character):04X})"
            if isinstance(character, str) and len(character) == 1
            else f"YAML: {exc.reason}",
            line,
        ) from exc
    except (yaml.YAMLError, UnicodeError) as exc:
        raise YamlSyntaxError(f"YAML: {exc}", None) from exc
    finally:
        if parser is not None:
            parser.dispose()
    return reading.root, reading.lines


def _read_events(parser: Any, reading: _Reading) -> None:
    documents = 0
    while True:
        event = parser.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlSyntaxError(
                    "YAML: a file holds one document; found a second", _line(event)
                )
        elif not isinstance(event, yaml.StreamStartEvent | yaml.DocumentEndEvent):
            reading.take(event)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one."""
    p = tuple(path)
    while True:
        if p in lines:
            return lines[p]
        if not p:
            return None
        p = p[:-1]


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump(data: Any) -> str:
    """YAML text in the order of the data's keys, long text folded, unicode kept."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
