"""The ACLED CSV importer on a file of headers only, and fuzzed (bounded): whatever the file
holds, an import counts its rows or is refused with a ValueError — nothing else."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect
from tests.fuzzing import edited

ACLED = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "acled_peru.csv"
SEED = ACLED.read_bytes()
HEADER = SEED.split(b"\n", 1)[0] + b"\n"
PIECES = st.sampled_from(
    [
        b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b",", b"\n", b"\r", b"\t", b";", b"9" * 400,
        b"1e999", b"NaN", b"-", b"31 February 2022", b"2022-13-45", b"Peru", b"PER9001", b"=1+1",
        b"\xe9", b",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,", b'""""', b"\n" * 50,
    ]
)  # fmt: skip


def test_a_file_of_headers_only_imports_0_rows(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_bytes(HEADER)
    con = connect(tmp_path / "events.duckdb")
    result = import_file(con, "acled", path)
    assert (result.rows_seen, result.rows_added, result.rows_rejected) == (0, 0, 0)
    assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)


def test_a_file_without_the_acled_columns_is_refused_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(b"event_id_cnty,when\nPER1,2022-01-01\n")
    con = connect(tmp_path / "events.duckdb")
    try:
        import_file(con, "acled", path)
    except ValueError as exc:
        message = str(exc)
    else:
        raise AssertionError("a file without ACLED columns was imported")
    assert message.startswith(
        f"{path}: line 1: missing acled column(s) 'event_date', 'time_precision'"
    )


def test_a_quote_left_open_is_refused_naming_its_line_not_missing_columns(
    tmp_path: Path,
) -> None:
    """Line 1 names every column; a quote opened on line 4 made DuckDB read the file as one
    column, and the message said every ACLED column was missing, naming no line."""
    lines = SEED.split(b"\n")
    path = tmp_path / "acled.csv"
    path.write_bytes(b"\n".join([*lines[:3], b'PER8000,"2022-06-01,2022', *lines[3:]]))
    try:
        import_file(connect(tmp_path / "events.duckdb"), "acled", path)
    except ValueError as exc:
        message = str(exc)
    else:
        raise AssertionError("a file with a quote left open was imported")
    assert message.startswith(
        f"{path}: line 4: this row does not split into the columns of line 1: a quote left open"
    )
    assert "missing" not in message


def test_a_header_naming_the_columns_with_semicolons_reaches_duckdb(tmp_path: Path) -> None:
    """The header check reads every delimiter DuckDB might find: a semicolon file is not
    refused for missing columns before DuckDB has read it."""
    path = tmp_path / "acled.csv"
    path.write_bytes(HEADER.replace(b",", b";"))
    result = import_file(connect(tmp_path / "events.duckdb"), "acled", path)
    assert result.rows_seen == 0


def test_a_first_line_over_a_mib_is_refused_before_duckdb_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_bytes(HEADER.rstrip(b"\n") + b"x" * (2 << 20) + b"\n" + SEED * 100)
    started = time.perf_counter()
    try:
        import_file(connect(tmp_path / "events.duckdb"), "acled", path)
    except ValueError as exc:
        message = str(exc)
    else:
        raise AssertionError("a 2 MiB first line was taken for a header")
    assert message == f"{path}: line 1: longer than 1,048,576 bytes; not a CSV header"
    assert time.perf_counter() - started < 1.0


def test_a_file_whose_header_line_lacks_the_columns_costs_no_duckdb_sniffing(
    tmp_path: Path,
) -> None:
    """A 40 MB file of long lines under a header that names no ACLED column is refused at
    its first line: the process grows by well under the 100+ MB DuckDB's sniffer took."""
    path = tmp_path / "big.csv"
    with path.open("wb") as handle:
        handle.write(b"a,b\n")
        for _ in range(4_000):
            handle.write(b"y" * 10_000 + b"\n")
    con = connect(tmp_path / "events.duckdb")
    before = _peak_mib(reset=True)
    try:
        import_file(con, "acled", path)
    except ValueError as exc:
        assert f"{path}: line 1: missing acled column(s)" in str(exc)
    else:
        raise AssertionError("a file without ACLED columns was imported")
    assert _peak_mib() - before < 30


def _peak_mib(reset: bool = False) -> float:
    """The process's resident high-water mark (VmHWM), started again from now if ``reset``."""
    if reset:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    return edited(draw, draw(st.sampled_from([SEED, HEADER])), PIECES, cut=200, repeat=400)


@settings(
    max_examples=60,  # each example is a whole import in a fresh store (about 60 ms)
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(mutated())
def test_mutated_acled_files_import_or_are_refused(content: bytes) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "acled.csv"
        path.write_bytes(content)
        con = connect(Path(folder) / "events.duckdb")
        try:
            result = import_file(con, "acled", path)
        except ValueError as exc:
            assert str(exc).startswith(str(path))
        else:
            assert result.rows_seen == result.rows_added + result.rows_rejected + (
                result.rows_skipped + result.rows_present
            )
        finally:
            con.close()
    assert time.perf_counter() - started < 5.0
