"""How grave the events behind a panel were, not only how many: deaths, violence against
civilians, abductions and kidnappings, aid workers involved — read from what the event data
carries (fatalities, event and sub-event types, actors, notes).

Each figure is one SQL count over the ``events`` table; ``FIGURES`` says, in words, how each
is read, so the panel can show it.
"""

from __future__ import annotations

from typing import Any

_TAKEN = ("abduct", "kidnap", "hostage")
_AID_ACTORS = ("aid worker", "humanitarian", "red cross", "red crescent")
_AID_NOTES = ("aid worker", "humanitarian worker")


def _names(text: str, words: tuple[str, ...]) -> str:
    """SQL: whether ``text`` (lower-cased, NULL as empty) contains any of ``words`` — plain
    substring tests, twice as fast as the same alternatives as a regular expression."""
    lowered = f"lower(coalesce({text}, ''))"
    return "(" + " OR ".join(f"contains({lowered}, '{word}')" for word in words) + ")"


#: The figures counted from a condition on each event, by key: SQL over one event's columns.
#: ``FIGURES`` counts each as ``count(*) FILTER (WHERE …)``; ``event_days.counted`` computes
#: them once per event in one projection first, where DuckDB lower-cases each text once
#: for every word tested (not once per word and figure).
#: Abductions as a CASE: DuckDB then reads the event type only where the category is not KID
#: and the notes only of violence against civilians (as ``OR`` it did more: 1.0 against 2.0
#: CPU s over 2.5 M events); the same events as ``KID OR type words OR (VAC AND note words)``.
CONDITIONS: dict[str, str] = {
    "abductions": f"CASE WHEN category = 'KID' THEN true"
    f" WHEN {_names('concat_ws(chr(32), event_type, sub_type)', _TAKEN)} THEN true"
    f" WHEN event_type = 'Violence against civilians' THEN {_names('notes', _TAKEN)}"
    " ELSE false END",
    "aid_workers": f"{_names('actors', _AID_ACTORS)}"
    " OR lower(coalesce(sub_type, '')) = 'ngo'"
    f" OR {_names('notes', _AID_NOTES)}",
}

# (key, SQL aggregate, singular, plural, how it is read)
FIGURES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "deaths",
        "coalesce(sum(fatalities), 0)",
        "death",
        "deaths",
        "reported fatalities",
    ),
    (
        "events_with_deaths",
        "count(*) FILTER (WHERE fatalities > 0)",
        "deadly event",
        "deadly events",
        "events reporting at least one death",
    ),
    (
        "against_civilians",
        "count(*) FILTER (WHERE event_type = 'Violence against civilians'"
        " OR sub_type = 'one-sided violence')",
        "attack on civilians",
        "attacks on civilians",
        "ACLED violence against civilians, UCDP one-sided violence",
    ),
    (
        "abductions",
        f"count(*) FILTER (WHERE {CONDITIONS['abductions']})",
        "abduction or kidnapping",
        "abductions or kidnappings",
        "the KID category, abduction, kidnapping or hostage-taking in the event type, or in the"
        " notes of violence against civilians (not protests against one)",
    ),
    (
        "aid_workers",
        f"count(*) FILTER (WHERE {CONDITIONS['aid_workers']})",
        "event involving aid workers",
        "events involving aid workers",
        "aid workers or humanitarian bodies among the actors (ACLED), NGO targets (GTD),"
        " or named in the notes",
    ),
)

SELECT = ", ".join(sql for _, sql, *_ in FIGURES)


def severity(row: tuple[Any, ...]) -> dict[str, Any]:
    """The figures of one ``SELECT``-ed row: {key: count, ..., "phrases": [...], "read": ...}.

    ``phrases`` gives the deaths ("0 deaths", "3 deaths in 2 events") and the other non-zero
    figures in words ("1 attack on civilians");
    ``read`` says how each is read from the data."""
    figures = {key: int(value or 0) for (key, *_), value in zip(FIGURES, row, strict=True)}
    phrases = [
        f"{figures[key]} {one if figures[key] == 1 else many}"
        for key, _, one, many, _ in FIGURES
        if figures[key] and key not in ("deaths", "events_with_deaths")
    ]
    deaths, deadly = figures["deaths"], figures["events_with_deaths"]
    in_events = f" in {deadly} event{'s' if deadly != 1 else ''}" if deaths else ""
    phrases.insert(0, f"{deaths} death{'s' if deaths != 1 else ''}{in_events}")
    return {
        **figures,
        "phrases": phrases,
        "read": {key: how for key, _, _, _, how in FIGURES},
    }
