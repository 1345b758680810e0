"""YAML for the interchange format: load with line numbers, dump in a stable, readable form.

Dates stay ISO strings (no timestamp conversion) so a document is plain JSON-like data that
the JSON Schema can check and that round-trips unchanged.
"""

from __future__ import annotations

from typing import Any

import yaml

Path = tuple[str | int, ...]


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamp resolution: 2009-11-29 stays the string '2009-11-29'."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Parse YAML text; return the data and the 1-based line of every value, by path."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise YamlSyntaxError(f"YAML syntax: {exc.problem}", line) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - defensive
        raise YamlSyntaxError(f"YAML syntax: {exc}", None) from exc
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is None:
        return None, lines
    data = _build(node, (), lines, loader)
    return data, lines


def _build(node: yaml.Node, path: Path, lines: dict[Path, int], loader: _Loader) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                raise YamlSyntaxError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            child = (*path, key)
            result[key] = _build(value_node, child, lines, loader)
            lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


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
