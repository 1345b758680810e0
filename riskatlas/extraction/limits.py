"""How much of a report riskatlas reads: the same limits on the command line and the web.

A report's text may hold at most ``max_text_chars()`` characters (2,000,000 unless
``RISKATLAS_MAX_TEXT_CHARS`` says otherwise — about 600 pages, read in about 10 s); a longer
one is refused with a message saying so, never cut silently. A report file may be at most
``MAX_FILE_BYTES`` (PDFs carry images); a Word file may unpack to at most
``MAX_DOCX_UNPACKED`` (riskatlas.document.archives checks that before inflating anything).
"""

from __future__ import annotations

import os

ENVIRONMENT = "RISKATLAS_MAX_TEXT_CHARS"
DEFAULT_MAX_TEXT_CHARS = 2_000_000
#: A report file larger than this is not opened.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: A Word file whose parts unpack to more than this is refused before they are inflated.
MAX_DOCX_UNPACKED = 100 * 1024 * 1024


class TextTooLong(ValueError):
    """A report whose text is over the limit; the message gives both and what to do."""


def max_text_chars() -> int:
    """The most characters a report's text may hold (``RISKATLAS_MAX_TEXT_CHARS``)."""
    value = os.environ.get(ENVIRONMENT, "").replace("_", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_TEXT_CHARS


def too_long(chars: int | None = None, limit: int | None = None) -> str:
    """Why a text is refused: "the text has 2,500,000 characters, over the limit of …" (or
    "more than" the limit when reading stopped there)."""
    limit = limit or max_text_chars()
    has = f"{chars:,} characters" if chars is not None else f"more than {limit:,} characters"
    return (
        f"the text has {has}, over the limit of {limit:,} ({ENVIRONMENT}); "
        "split the report into parts"
    )


def check_length(text: str, limit: int | None = None) -> str:
    """``text`` if it is within the limit; TextTooLong otherwise."""
    limit = limit or max_text_chars()
    if len(text) > limit:
        raise TextTooLong(too_long(len(text), limit))
    return text
