"""What changed between two versions of an assessment, in words a reviewer reads."""

from __future__ import annotations

import difflib
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


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new`` (both normalised documents)."""
    changes: list[Change] = []
    old_m, new_m = _matrix(old), _matrix(new)

    for field, a, b in _field_changes(old.get("assessment", {}), new.get("assessment", {})):
        changes.append(
            Change(
                "assessment",
                "",
                field,
                "changed",
                a,
                b,
                f"Assessment: {_describe_field(field, a, b)}.",
            )
        )
    if old.get("matrix") != new.get("matrix"):
        changes.append(
            Change(
                "matrix",
                "",
                "",
                "changed",
                old.get("matrix"),
                new.get("matrix"),
                f"Risk matrix changed from {old_m.id} v{old_m.version} to "
                f"{new_m.id} v{new_m.version}.",
            )
        )
    for field, a, b in _field_changes(old.get("exposure") or {}, new.get("exposure") or {}):
        changes.append(
            Change(
                "exposure", "", field, "changed", a, b, f"Exposure: {_describe_field(field, a, b)}."
            )
        )

    for section, key_field in KEYED_SECTIONS.items():
        olds = {str(i.get(key_field)): i for i in old.get(section) or []}
        news = {str(i.get(key_field)): i for i in new.get(section) or []}
        for key, item in olds.items():
            if key not in news:
                label = _label(section, item, key)
                changes.append(Change(section, key, "", "removed", item, None, f"Removed {label}."))
        for key, item in news.items():
            label = _label(section, item, key)
            if key not in olds:
                extra = ""
                if section == "risks":
                    try:
                        level = new_m.level(
                            item["residual"]["likelihood"], item["residual"]["impact"]
                        )
                        extra = f", residual level {level.name}"
                    except (KeyError, ValueError):
                        extra = ""
                changes.append(
                    Change(section, key, "", "added", None, item, f"Added {label}{extra}.")
                )
                continue
            before = olds[key]
            if before == item:
                continue
            described = [_describe_field(f, a, b) for f, a, b in _field_changes(before, item)]
            if section == "risks":
                described += _level_change(before, item, old_m, new_m)
            changes.append(
                Change(
                    section,
                    key,
                    ",".join(f for f, _, _ in _field_changes(before, item)),
                    "changed",
                    before,
                    item,
                    f"Changed {label}: " + "; ".join(described) + ".",
                )
            )

    # Context sections have no id: match them by topic and title.
    def ctx_key(c: dict[str, Any]) -> str:
        return f"{c.get('topic')}/{c.get('title')}"

    olds_c = {ctx_key(c): c for c in old.get("context") or []}
    news_c = {ctx_key(c): c for c in new.get("context") or []}
    for key, item in olds_c.items():
        if key not in news_c:
            changes.append(
                Change(
                    "context",
                    key,
                    "",
                    "removed",
                    item,
                    None,
                    f"Removed context section “{item.get('title')}”.",
                )
            )
    for key, item in news_c.items():
        if key not in olds_c:
            changes.append(
                Change(
                    "context",
                    key,
                    "",
                    "added",
                    None,
                    item,
                    f"Added context section “{item.get('title')}”.",
                )
            )
        elif olds_c[key] != item:
            described = [_describe_field(f, a, b) for f, a, b in _field_changes(olds_c[key], item)]
            changes.append(
                Change(
                    "context",
                    key,
                    "",
                    "changed",
                    olds_c[key],
                    item,
                    f"Changed context section “{item.get('title')}”: " + "; ".join(described) + ".",
                )
            )
    return changes
