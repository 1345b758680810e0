"""The report's context section (section 4): the analyst's background notes grouped by
topic, in a fixed topic order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.reports.citations import Citations, Ref

TOPIC_ORDER = (
    "political",
    "economic",
    "social",
    "security-forces",
    "international-relations",
    "other",
)
TOPIC_NAMES = {
    "political": "Political",
    "economic": "Economic",
    "social": "Social",
    "security-forces": "Security forces",
    "international-relations": "International relations",
    "other": "Other",
}


@dataclass
class ContextTopic:
    topic: str
    name: str
    entries: list[tuple[str, str, list[Ref]]]


def context_topics(doc: dict[str, Any], cites: Citations) -> list[ContextTopic]:
    """The topics that have notes, each note as (title, text, references)."""
    topics = []
    for topic in TOPIC_ORDER:
        entries = [
            (c["title"], c["text"], cites.cite(c.get("evidence"), f"Context: {c['title']}"))
            for c in doc.get("context") or []
            if c["topic"] == topic
        ]
        if entries:
            topics.append(ContextTopic(topic, TOPIC_NAMES[topic], entries))
    return topics
