"""Opening ZIP-based files (Word .docx reports, Excel .xlsx registers) without trusting them.

A .docx or .xlsx is a ZIP archive. Before anything is inflated, the archive's directory is
checked: how many entries it has and how large they say they unpack to. ``zipfile`` never
inflates an entry beyond the size its directory declares, so a file that passes these checks
cannot unpack to more; one that fails ("zip bomb": 1 MB that expands to 1 GiB) is refused
with a message, having used no memory for its contents. Damaged archives raise the same error.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

#: At most this many entries in an archive (a Word or Excel file has a few dozen).
MAX_ENTRIES = 2_000
#: At most this many bytes when every entry is unpacked.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

#: What reading a damaged archive raises: bad headers, a bad CRC, a broken deflate stream,
#: a truncated file, an unsupported compression method.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)


class ArchiveError(ValueError):
    """A ZIP-based file that is refused: too large once unpacked, too many entries, damaged.
    The message says why, without the file's name (the caller adds it)."""


def size_text(n: int) -> str:
    """A byte count as people read it: 512 bytes, 4.2 MB, 1.0 GB."""
    if n < 1024:
        return f"{n} bytes"
    value = n / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def open_archive(
    path: str | Path,
    *,
    max_entries: int = MAX_ENTRIES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> zipfile.ZipFile:
    """The archive at ``path``, opened once its directory is within the limits; ArchiveError
    otherwise. The caller closes it (``with open_archive(path) as archive``)."""
    try:
        archive = zipfile.ZipFile(path)
    except DAMAGED as error:
        raise ArchiveError(f"not a ZIP archive, or a damaged one ({error})") from error
    try:
        entries = archive.infolist()
        if len(entries) > max_entries:
            raise ArchiveError(
                f"the archive has {len(entries):,} entries, over the limit of {max_entries:,}"
            )
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > max_unpacked:
            raise ArchiveError(
                f"the archive unpacks to {size_text(unpacked)}, over the limit of "
                f"{size_text(max_unpacked)}: refused before unpacking"
            )
    except BaseException:
        archive.close()
        raise
    return archive
