"""The version's source a new one would repeat: the same address (URL), else the same title
once case, accents, punctuation and spacing are set aside. Reading a report, or citing a
source on a risk, files evidence under the source the analyst already has."""

from __future__ import annotations

import re
import unicodedata

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.intelligence.models import Source


def normal_url(url: str) -> str:
    """``HTTPS://www.Gov.uk/travel/colombia/`` → ``gov.uk/travel/colombia``: the scheme,
    ``www.``, the case of the host, a fragment and a final slash make no difference."""
    text = url.strip()
    text = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", text)
    host, slash, rest = text.partition("/")
    host = host.lower().removeprefix("www.")
    return (host + slash + rest.split("#")[0]).rstrip("/")


def normal_title(title: str) -> str:
    """``FCDO: Colombia — travel advice`` → ``fcdo colombia travel advice``."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


def looks_like_url(text: str) -> bool:
    return bool(re.match(r"^(https?://|www\.)\S+$", text.strip(), re.IGNORECASE))


def same_source(version: AssessmentVersion, *, title: str = "", url: str = "") -> Source | None:
    """The version's source with this address, else with this title; None if neither."""
    sources = list(Source.objects.filter(version=version))
    if url.strip():
        wanted = normal_url(url)
        for source in sources:
            if source.url and normal_url(source.url) == wanted:
                return source
    if title.strip():
        wanted = normal_title(title)
        for source in sources:
            if normal_title(source.title) == wanted:
                return source
    return None
