"""The extraction lexicons: YAML and CSV data files in ``data/``, loaded once and cached."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import yaml


class _LexiconLoader(yaml.SafeLoader):
    """YAML without YAML 1.1 booleans: in a word list, "no" and "on" are words."""


_LexiconLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def load_lexicon(name: str) -> Any:
    """The parsed YAML file ``riskatlas/extraction/data/<name>`` (no implicit booleans)."""
    return yaml.load(data_text(name), Loader=_LexiconLoader)


def data_text(name: str) -> str:
    return resources.files("riskatlas.extraction").joinpath("data", name).read_text("utf-8")


def phrase_pattern(phrase: str) -> str:
    """A lexicon phrase as a regular expression (no word boundaries).

    ``*`` at the end of a word matches any word ending, ``?`` any one letter, and a space any
    run of spaces or hyphens, so "break in*" matches "break-ins".
    """
    words = []
    for word in phrase.strip().split():
        star = word.endswith("*")
        core = word[:-1] if star else word
        body = re.escape(core).replace(r"\?", r"[a-z]").replace("?", "[a-z]")
        # Either apostrophe matches both ("don't", "don’t"), replaced in one pass: a second
        # pass would rewrite the class the first made, so such phrases never matched.
        body = re.sub("['’]", "['’]", body)
        words.append(body + (r"[\w'’-]*" if star else ""))
    return r"[\s\-]+".join(words)


def alternation(phrases: list[str]) -> str:
    """One regular expression that matches any of ``phrases`` as whole words, longest first."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return r"(?<![\w-])(?:" + "|".join(phrase_pattern(p) for p in ordered) + r")(?![\w])"


def any_of(phrases: Iterable[object]) -> re.Pattern[str]:
    """``alternation`` of a lexicon's list, compiled to match in any case."""
    return re.compile(alternation([str(p) for p in phrases]), re.I)
