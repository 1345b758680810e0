"""What changed between two versions of an assessment, in words a reviewer reads."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from riskatlas.method.matrix import Matrix, default_matrix
from riskatlas.method.scales import impact_scale, likelihood_scale

# Sections that are lists of things with an identity, and the field that identifies them.
KEYED_SECTIONS = {
    "sources": "id",
    "areas": "code",
    "places": "id",
    "actors": "id",
    "incidents": "id",
    "threats": "category",
    "risks": "id",
    "mitigations": "code",
    "recommendations": "id",
    "watch_items": "id",
    "official_advice": "government",
}

SINGULAR = {
    "sources": "source",
    "areas": "area",
    "places": "place",
    "actors": "actor",
    "incidents": "incident",
    "threats": "threat",
    "risks": "risk",
    "mitigations": "mitigation",
    "recommendations": "recommendation",
    "watch_items": "watch item",
    "official_advice": "official advice",
    "context": "context section",
}


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    field: str
    kind: str  # added | removed | changed
    old: Any
    new: Any
    sentence: str


def _label(section: str, item: dict[str, Any], key: str) -> str:
    name = item.get("title") or item.get("name") or item.get("text")
    if isinstance(name, str) and len(name) > 60:
        name = name[:57] + "…"
    return f"{SINGULAR.get(section, section)} {key}" + (f" ({name})" if name else "")


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"“{value}”" if len(value) <= 80 else f"“{value[:77]}…”"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) if isinstance(v, dict) else str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "nothing"
    return str(value)


def _text_change(old: str, new: str) -> str:
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b).get_opcodes():
        if op == "equal":
            continue
        removed, added = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if removed and added:
            parts.append(f"“{removed}” → “{added}”")
        elif removed:
            parts.append(f"removed “{removed}”")
        else:
            parts.append(f"added “{added}”")
    summary = "; ".join(parts[:3]) + ("; …" if len(parts) > 3 else "")
    return f"reworded: {summary}"


def _field_changes(old: Any, new: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in list(old) + [k for k in new if k not in old]:
            sub = f"{path}.{k}" if path else str(k)
            if k not in new:
                out.append((sub, old[k], None))
            elif k not in old:
                out.append((sub, None, new[k]))
            elif old[k] != new[k]:
                out.extend(_field_changes(old[k], new[k], sub))
        return out
    return [(path, old, new)] if old != new else []


def _rating_words(which: str, field: str, value: Any) -> str:
    scale = likelihood_scale() if field == "likelihood" else impact_scale()
    try:
        return scale.describe(int(value))
    except (TypeError, ValueError):
        return _show(value)


def _describe_field(field: str, old: Any, new: Any) -> str:
    parts = field.split(".")
    if (
        len(parts) == 2
        and parts[0] in ("inherent", "current", "residual")
        and parts[1]
        in (
            "likelihood",
            "impact",
        )
    ):
        return (
            f"{parts[0]} {parts[1]} {_rating_words(parts[0], parts[1], old)} → "
            f"{_rating_words(parts[0], parts[1], new)}"
        )
    if old is None:
        return f"{field} added: {_show(new)}"
    if new is None:
        return f"{field} removed (was {_show(old)})"
    if isinstance(old, str) and isinstance(new, str) and (len(old) > 80 or len(new) > 80):
        return f"{field} {_text_change(old, new)}"
    return f"{field} {_show(old)} → {_show(new)}"


def _level_change(
    old: dict[str, Any], new: dict[str, Any], old_m: Matrix, new_m: Matrix
) -> list[str]:
    out = []
    for which in ("inherent", "current", "residual"):
        a, b = old.get(which), new.get(which)
        if not a or not b or a == b:
            continue
        try:
            la = old_m.level(a["likelihood"], a["impact"])
            lb = new_m.level(b["likelihood"], b["impact"])
        except (KeyError, ValueError):
            continue
        if la.name != lb.name:
            out.append(f"{which} level {la.name} → {lb.name}")
    return out


def _matrix(doc: dict[str, Any]) -> Matrix:
    data = doc.get("matrix")
    return Matrix.from_dict(data) if data else default_matrix()


@dataclass(frozen=True)
class Versions:
    """The two documents compared, each with the matrix its risks are rated on."""

    old: dict[str, Any]
    new: dict[str, Any]
    old_matrix: Matrix
    new_matrix: Matrix


def diff_assessment(versions: Versions) -> Iterator[Change]:
    """Each changed field of the assessment's own details (title, dates, summary…)."""
    old, new = versions.old.get("assessment", {}), versions.new.get("assessment", {})
    yield from _section_fields("assessment", "Assessment", old, new)


def diff_matrix(versions: Versions) -> Iterator[Change]:
    """One change when the risk matrix differs at all."""
    old, new, old_m, new_m = versions.old, versions.new, versions.old_matrix, versions.new_matrix
    if old.get("matrix") != new.get("matrix"):
        yield Change(
            "matrix",
            "",
            "",
            "changed",
            old.get("matrix"),
            new.get("matrix"),
            f"Risk matrix changed from {old_m.id} v{old_m.version} to {new_m.id} v{new_m.version}.",
        )


def diff_exposure(versions: Versions) -> Iterator[Change]:
    """Each changed field of the exposure: groups, activities, sites and routes."""
    old, new = versions.old.get("exposure") or {}, versions.new.get("exposure") or {}
    yield from _section_fields("exposure", "Exposure", old, new)


def _section_fields(section: str, title: str, old: Any, new: Any) -> Iterator[Change]:
    for field, a, b in _field_changes(old, new):
        yield Change(
            section, "", field, "changed", a, b, f"{title}: {_describe_field(field, a, b)}."
        )


def diff_keyed_sections(versions: Versions) -> Iterator[Change]:
    """Things with an identity (sources, areas, … risks, …) removed, added or changed."""
    old, new = versions.old, versions.new
    for section, key_field in KEYED_SECTIONS.items():
        olds = {str(i.get(key_field)): i for i in old.get(section) or []}
        news = {str(i.get(key_field)): i for i in new.get(section) or []}
        for key, item in olds.items():
            if key not in news:
                label = _label(section, item, key)
                yield Change(section, key, "", "removed", item, None, f"Removed {label}.")
        for key, item in news.items():
            if key not in olds:
                yield _added(section, key, item, versions.new_matrix)
            elif olds[key] != item:
                yield _changed(section, key, olds[key], item, versions)


def _added(section: str, key: str, item: dict[str, Any], new_m: Matrix) -> Change:
    """An added thing; an added risk also says its residual level."""
    extra = ""
    if section == "risks":
        try:
            level = new_m.level(item["residual"]["likelihood"], item["residual"]["impact"])
            extra = f", residual level {level.name}"
        except (KeyError, ValueError):
            extra = ""
    label = _label(section, item, key)
    return Change(section, key, "", "added", None, item, f"Added {label}{extra}.")


def _changed(
    section: str,
    key: str,
    before: dict[str, Any],
    after: dict[str, Any],
    versions: Versions,
) -> Change:
    """A changed thing, field by field; a changed risk also says how its levels moved."""
    fields = _field_changes(before, after)
    described = [_describe_field(f, a, b) for f, a, b in fields]
    if section == "risks":
        described += _level_change(before, after, versions.old_matrix, versions.new_matrix)
    label = _label(section, after, key)
    return Change(
        section,
        key,
        ",".join(f for f, _, _ in fields),
        "changed",
        before,
        after,
        f"Changed {label}: " + "; ".join(described) + ".",
    )


def _context_key(section: dict[str, Any]) -> str:
    # Context sections have no id: match them by topic and title.
    return f"{section.get('topic')}/{section.get('title')}"


def diff_context(versions: Versions) -> Iterator[Change]:
    """Context sections removed, added or changed, matched by topic and title."""
    old, new = versions.old, versions.new
    olds = {_context_key(c): c for c in old.get("context") or []}
    news = {_context_key(c): c for c in new.get("context") or []}
    for key, item in olds.items():
        if key not in news:
            title = item.get("title")
            yield Change(
                "context", key, "", "removed", item, None, f"Removed context section “{title}”."
            )
    for key, item in news.items():
        title = item.get("title")
        if key not in olds:
            yield Change(
                "context", key, "", "added", None, item, f"Added context section “{title}”."
            )
        elif olds[key] != item:
            described = [_describe_field(f, a, b) for f, a, b in _field_changes(olds[key], item)]
            yield Change(
                "context",
                key,
                "",
                "changed",
                olds[key],
                item,
                f"Changed context section “{title}”: " + "; ".join(described) + ".",
            )


SECTION_DIFFERS: tuple[Callable[[Versions], Iterator[Change]], ...] = (
    diff_assessment,
    diff_matrix,
    diff_exposure,
    diff_keyed_sections,
    diff_context,
)


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new`` (both normalised documents), section by section."""
    versions = Versions(old, new, _matrix(old), _matrix(new))
    changes: list[Change] = []
    for differ in SECTION_DIFFERS:
        changes.extend(differ(versions))
    return changes
