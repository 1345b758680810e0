"""A long fuzz run over every kind of file riskatlas reads (issue 11, "Hardening").

    .venv/bin/python benchmarks/fuzz.py [--count 100000] [--kinds yaml,register-csv,...]
                                        [--workers 2] [--timeout 10] [--seed 0]

Kinds: ``yaml`` (validate and normalise an assessment), ``register-csv`` and
``register-xlsx`` (read a risk register and apply it to a document), ``acled`` (import an
ACLED CSV into an evidence store), ``text`` (the extractor). Each input is made from a seed
file or from nothing by mutations — byte flips, truncation, duplicated and cut slices,
control characters, deep nesting, aliases, huge numbers, wrong types, tags — chosen by a
random generator seeded with the kind and the input's number, so a run is reproducible and
any input can be made again (``--show KIND:N`` prints it).

Inputs run in a pool of worker processes (each with a 2 GiB address-space limit); a timer
interrupts an input after ``--timeout`` seconds. Reported per kind: inputs, tracebacks
(exceptions other than the kind's documented refusal, with the first few distinct ones), runs
over the time limit, the slowest run, and peak memory: the workers' resident high-water mark
(VmHWM) while riskatlas reads an input, reset after the harness has made it (so a worker's
peak counts what it kept from earlier inputs, not the making of a 25 MB input in Python), and
beside it the same counting the making too (the only figure before 3 December 2026). A line on
stderr every 2,000 inputs gives the running totals.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import multiprocessing
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
KINDS = ("yaml", "register-csv", "register-xlsx", "acled", "text")
MEMORY_LIMIT = 2 * 1024**3
# The extractor reads what it is given; limiting a file's text is the readers' business
# (about 6 µs a character: 25 MB takes 150 s). Fuzzed text stays under this size.
MAX_TEXT = 200_000
CHUNK = 200

CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufeff",
           "\u2028", "\u202e", "\ud7ff", "\r", "\t"]  # fmt: skip
YAML_PIECES = [
    "&a ", "*a", "&a [x, x, x]", "[*a, *a, *a, *a]", "<<: *a", "? [a]\n: 1", "{a: 1}: 2",
    "!!binary aGk=", "!!python/object/apply:os.system [ls]", "!!set {a}", "!!omap []",
    "!!int x", "!!float y", "!!bool z", "!!timestamp 2001-01-01", "%YAML 1.1\n", "---\n",
    "...\n", "9" * 30, "9" * 5000, "-" + "9" * 19, ".nan", "-.inf", "1.0e+999", "0x_", "0o9",
    "1:30:00", "2009-02-30", "~", "null", "yes", "[x]", "{}", "[]", "7", "-3.5", "true", "''",
    '"\\x00"', '"\\ud800"', "|", ">-", "# c", "{", "}", "[", "]", ": ", "- ", "'", '"',
]  # fmt: skip
CSV_PIECES = [
    ",", '"', '""', "\n", "\r\n", "\r", ";", "\t", "=1+1", "@SUM(A1)", "+1", "-1", "9" * 400,
    "1e999", "NaN", "inf", "2.5", "0", "high", "CRM", "PE-LMA", "XX-YYY", "2022-13-45",
    "31 February 2022", ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,", "é", "Ñ", "\ufeff", "\x00",
]  # fmt: skip
TEXT_PIECES = [
    "kidnapping", "Lima", "Ayacucho", "Shining Path", "likely", "almost certainly", "killed",
    "1,000,000", "9" * 300, "on 31 February", ". ", "! ", "? ", "\n\n", "http://x.invalid/a.b",
    "e.g.", "Dr.", "U.S.", "(", ")", '"', "—", "a" * 3000, "..." * 100, "VRAEM", "bomb",
    "protest", "roads", "\n" * 200, " " * 500, "#" * 50, "|", "-" * 80,
]  # fmt: skip


def mutate(rng: random.Random, text: str, pieces: list[str], rounds: int = 4) -> str:
    """``text`` with a few random edits: flips, cuts, repeats, insertions, truncation."""
    for _ in range(rng.randint(1, rounds)):
        at = rng.randint(0, len(text))
        action = rng.random()
        if action < 0.15 and text:
            at = min(at, len(text) - 1)
            text = text[:at] + chr(rng.randint(0, 0x2FF)) + text[at + 1 :]
        elif action < 0.25:
            text = text[:at] + rng.choice(CONTROL) + text[at:]
        elif action < 0.55:
            text = text[:at] + rng.choice(pieces) + text[at:]
        elif action < 0.7:
            text = text[:at] + text[at + rng.randint(1, 300) :]
        elif action < 0.85:
            text = text[:at] + text[at : at + rng.randint(1, 500)] * rng.randint(2, 20) + text[at:]
        elif action < 0.92:
            text = text[:at]
        else:
            text = text[:at] + _nesting(rng) + text[at:]
    return text


def _nesting(rng: random.Random) -> str:
    depth = rng.choice([10, 41, 100, 999, 1001, 2000, 5000])
    if rng.random() < 0.5:
        return "[" * depth + "]" * rng.choice([0, depth])
    return "".join(f"\n{'  ' * i}k{i}:" for i in range(depth))


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(out)) if out else 0
        roll = rng.random()
        if roll < 0.5 and out:
            out[at] = rng.randrange(256)
        elif roll < 0.7:
            del out[at : at + rng.randint(1, 64)]
        elif roll < 0.85:
            out[at:at] = out[at : at + rng.randint(1, 256)] * 2
        else:
            del out[at:]
    return bytes(out)


# --- the kinds: make an input, run it -------------------------------------------------


@dataclass
class Kind:
    """How to make input ``n`` of one kind and what running it may refuse with."""

    make: Callable[[random.Random], Any]
    run: Callable[[Any], None]
    refusals: tuple[type[BaseException], ...] = ()


@dataclass
class Seeds:
    """Seed files and objects, loaded once in each worker."""

    yaml_texts: list[str] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)
    register_csv: str = ""
    register_xlsx: bytes = b""
    acled: str = ""
    advice: str = ""
    work: Path = Path()
    store: Any = None


SEEDS = Seeds()


def _load_seeds(kind: str) -> None:
    """Load what ``kind`` needs, and nothing else (so its peak memory is its own)."""
    SEEDS.work = Path(tempfile.mkdtemp(prefix="riskatlas-fuzz-"))
    if kind in ("yaml", "register-csv", "register-xlsx"):
        from riskatlas.document import load_document
        from riskatlas.document.register import register_csv, register_xlsx

        everything = FIXTURES / "interchange" / "everything.yaml"
        SEEDS.yaml_texts = [
            everything.read_text(encoding="utf-8"),
            (FIXTURES / "documents" / "minimal.yaml").read_text(encoding="utf-8"),
        ]
        SEEDS.document = load_document(everything)
        SEEDS.register_csv = register_csv(SEEDS.document)
        SEEDS.register_xlsx = register_xlsx(SEEDS.document)
    if kind == "acled":
        from riskatlas.evidence.store import connect

        SEEDS.acled = (FIXTURES / "evidence" / "acled_peru.csv").read_text(encoding="utf-8")
        SEEDS.store = connect(SEEDS.work / "events.duckdb")
    if kind == "text":
        SEEDS.advice = "\n\n".join(
            p.read_text(encoding="utf-8")
            for p in sorted((FIXTURES / "evidence" / "advisories").rglob("*.md"))
        )


def _wrong_value(rng: random.Random) -> Any:
    return rng.choice(
        [None, True, 0, -1, 10**30, 3.5, "", "x" * rng.choice([1, 100, 10_000]), [], {},
         ["x"], {"a": 1}, [[[]]], "2009-02-30", "PE-XXX", "ZZ"]
    )  # fmt: skip


def make_yaml(rng: random.Random) -> str:
    if rng.random() < 0.25:  # well-formed YAML, wrong shapes: a value replaced somewhere
        import yaml

        data = copy.deepcopy(SEEDS.document)
        for _ in range(rng.randint(1, 3)):
            holder: Any = data
            for _ in range(rng.randint(1, 4)):
                keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
                if not keys:
                    break
                key = rng.choice(keys)
                if rng.random() < 0.3 or not isinstance(holder[key], dict | list):
                    holder[key] = _wrong_value(rng)
                    break
                holder = holder[key]
        return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper))
    return mutate(rng, rng.choice(SEEDS.yaml_texts), YAML_PIECES)


def run_yaml(text: str) -> None:
    from riskatlas.document import validate_text

    result = validate_text(text, "fuzz.yaml")
    if result.ok:
        result.document()


def _register_rows(rng: random.Random) -> list[list[Any]]:
    from riskatlas.document.register import HEADINGS

    rows: list[list[Any]] = [list(HEADINGS)]
    for _ in range(rng.randint(0, 5)):
        rows.append([rng.choice([*CSV_PIECES, None, 3, 2.5, 10**20, True]) for _ in HEADINGS])
    return rows


def make_register_csv(rng: random.Random) -> bytes:
    if rng.random() < 0.2:
        text = "\n".join(
            ",".join("" if c is None else str(c) for c in r) for r in _register_rows(rng)
        )
    else:
        text = mutate(rng, SEEDS.register_csv, CSV_PIECES)
    encoded = text.encode("utf-8", "surrogatepass")
    return flip_bytes(rng, encoded) if rng.random() < 0.2 else encoded


def make_register_xlsx(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.3:
        return flip_bytes(rng, SEEDS.register_xlsx)
    if roll < 0.7:  # a valid zip whose sheet or strings XML is mutated
        source = zipfile.ZipFile(io.BytesIO(SEEDS.register_xlsx))
        names = source.namelist()
        target = rng.choice([n for n in names if n.endswith(".xml")])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as sink:
            for name in names:
                data = source.read(name)
                if name == target:
                    xml = data.decode("utf-8", "replace")
                    data = mutate(rng, xml, ["<", ">", "&amp;", "<c r='A1'/>", "9" * 400]).encode(
                        "utf-8", "surrogatepass"
                    )
                sink.writestr(name, data)
        return out.getvalue()
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in _register_rows(rng):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run_register(content: bytes, suffix: str) -> None:
    from riskatlas.document.register import apply_register, read_register

    path = SEEDS.work / f"register{suffix}"
    path.write_bytes(content)
    apply_register(SEEDS.document, read_register(path), path.name)


def make_acled(rng: random.Random) -> bytes:
    seed = SEEDS.acled if rng.random() < 0.8 else SEEDS.acled.split("\n", 1)[0] + "\n"
    encoded = mutate(rng, seed, CSV_PIECES).encode("utf-8", "surrogatepass")
    return flip_bytes(rng, encoded) if rng.random() < 0.2 else encoded


def run_acled(content: bytes) -> None:
    from riskatlas.evidence.catalogue import import_file

    path = SEEDS.work / "acled.csv"
    path.write_bytes(content)
    import_file(SEEDS.store, "acled", path)


def make_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 3000)))
    if roll < 0.5:
        return " ".join(rng.choice(TEXT_PIECES) for _ in range(rng.randint(0, 200)))
    start = rng.randrange(len(SEEDS.advice))
    text = mutate(rng, SEEDS.advice[start : start + rng.randint(0, 20_000)], TEXT_PIECES)
    return text[:MAX_TEXT]


def run_text(text: str) -> None:
    from riskatlas.extraction import extract

    draft = extract(text)
    for sentence in draft["sentences"]:
        if not 0 <= sentence["start"] <= sentence["end"] <= len(text):
            raise AssertionError(f"sentence offsets outside the text: {sentence}")


def _kinds() -> dict[str, Kind]:
    from riskatlas.document.register import RegisterError  # pure Python, small

    return {
        "yaml": Kind(make_yaml, run_yaml),
        "register-csv": Kind(
            make_register_csv, lambda c: _run_register(c, ".csv"), (RegisterError,)
        ),
        "register-xlsx": Kind(
            make_register_xlsx, lambda c: _run_register(c, ".xlsx"), (RegisterError,)
        ),
        "acled": Kind(make_acled, run_acled, (ValueError,)),
        "text": Kind(make_text, run_text),
    }


# --- workers -----------------------------------------------------------------------------


class TimeLimit(Exception):
    """The input ran past the time limit."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise TimeLimit


def _start_worker(kind: str) -> None:
    warnings.simplefilter("ignore")  # openpyxl warns about broken workbooks it still reads
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    signal.signal(signal.SIGALRM, _on_alarm)
    _load_seeds(kind)


def _rng(kind: str, seed: int, n: int) -> random.Random:
    return random.Random(f"{kind}:{seed}:{n}")


@dataclass
class Tally:
    """What a chunk (or a whole kind) of inputs came to."""

    inputs: int = 0
    tracebacks: int = 0
    over_limit: int = 0
    slowest: float = 0.0
    slowest_input: int = -1
    peak_kib: int = 0  # resident memory while riskatlas read an input (VmHWM reset after making it)
    peak_input: int = -1  # the input during which the peak was reached
    making_kib: int = 0  # the same, counting the harness making each input too
    making_input: int = -1
    examples: dict[str, int] = field(default_factory=dict)  # distinct traceback -> input

    def add(self, other: Tally) -> None:
        self.inputs += other.inputs
        self.tracebacks += other.tracebacks
        self.over_limit += other.over_limit
        if other.slowest > self.slowest:
            self.slowest, self.slowest_input = other.slowest, other.slowest_input
        if other.peak_kib > self.peak_kib:
            self.peak_kib, self.peak_input = other.peak_kib, other.peak_input
        if other.making_kib > self.making_kib:
            self.making_kib, self.making_input = other.making_kib, other.making_input
        for key, n in other.examples.items():
            self.examples.setdefault(key, n)


def _signature(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at {where}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"


def run_chunk(job: tuple[str, int, int, int, float]) -> Tally:
    kind_name, seed, start, stop, limit = job
    kind = _kinds()[kind_name]
    tally = Tally()
    for n in range(start, stop):
        data = kind.make(_rng(kind_name, seed, n))
        made = _high_water_kib()
        if made > tally.making_kib:
            tally.making_kib, tally.making_input = made, n
        _reset_high_water()  # what follows is riskatlas reading the input (and what it keeps)
        began = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        interrupted = False
        try:
            kind.run(data)
        except kind.refusals:
            pass
        except TimeLimit:
            interrupted = True
        except Exception as exc:  # a traceback a user would see
            tally.tracebacks += 1
            tally.examples.setdefault(_signature(exc), n)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        spent = time.perf_counter() - began
        if interrupted or spent > limit:  # C code the timer cannot interrupt still counts
            tally.over_limit += 1
        if spent > tally.slowest:
            tally.slowest, tally.slowest_input = spent, n
        tally.inputs += 1
        peak = _high_water_kib()
        if peak > tally.peak_kib:
            tally.peak_kib, tally.peak_input = peak, n
        if peak > tally.making_kib:
            tally.making_kib, tally.making_input = peak, n
    return tally


def _high_water_kib() -> int:
    """The process's peak resident memory since start or the last reset (VmHWM)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_high_water() -> None:
    """Start VmHWM again from the current resident memory (Linux ``clear_refs`` 5), so that
    the memory the harness used to make an input is not counted as reading it."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w", encoding="ascii") as f:
        f.write("5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs per kind")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per input")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", help="print input KIND:N and stop")
    parser.add_argument("--replay", help="run input KIND:N in this process and show any traceback")
    args = parser.parse_args()
    if args.show:
        kind_name, n = args.show.split(":")
        _load_seeds(kind_name)
        print(repr(_kinds()[kind_name].make(_rng(kind_name, args.seed, int(n)))))
        return
    if args.replay:
        kind_name, n = args.replay.split(":")
        _load_seeds(kind_name)
        kind = _kinds()[kind_name]
        try:
            kind.run(kind.make(_rng(kind_name, args.seed, int(n))))
        except kind.refusals as exc:
            print(f"refused as documented: {exc}")
        return
    kinds = [k for k in args.kinds.split(",") if k]
    print(f"fuzz: {args.count:,} inputs per kind, {args.workers} workers, "
          f"{args.timeout:g} s per input, seed {args.seed}")  # fmt: skip
    heads = [
        "kind", "inputs", "tracebacks", "over time limit", "slowest (s)", "peak memory (MB)",
        "peak with making (MB)",
    ]  # fmt: skip
    print("| " + " | ".join([*heads, "time (s)"]) + " |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    context = multiprocessing.get_context("fork")
    for kind_name in kinds:
        began = time.perf_counter()
        total = Tally()
        jobs = [
            (kind_name, args.seed, start, min(start + CHUNK, args.count), args.timeout)
            for start in range(0, args.count, CHUNK)
        ]
        with context.Pool(
            args.workers, initializer=_start_worker, initargs=(kind_name,), maxtasksperchild=20
        ) as pool:
            for done, tally in enumerate(pool.imap_unordered(run_chunk, jobs), 1):
                total.add(tally)
                if done % (2000 // CHUNK) == 0:
                    print(
                        f"  {kind_name}: {total.inputs:,} inputs, {total.tracebacks} tracebacks,"
                        f" {total.over_limit} over the limit, peak {total.peak_kib / 1024:.0f} MB"
                        f" (#{total.peak_input}), {total.making_kib / 1024:.0f} MB with making,"
                        f" {time.perf_counter() - began:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )
        spent = time.perf_counter() - began
        print(
            f"| {kind_name} | {total.inputs:,} | {total.tracebacks} | {total.over_limit} | "
            f"{total.slowest:.2f} (#{total.slowest_input}) | "
            f"{total.peak_kib / 1024:.0f} (#{total.peak_input}) | "
            f"{total.making_kib / 1024:.0f} (#{total.making_input}) | {spent:.0f} |",
            flush=True,
        )
        for signature, n in list(total.examples.items())[:5]:
            print(f"    {kind_name}:{n}: {signature}", file=sys.stderr)
        failed = failed or bool(total.tracebacks or total.over_limit)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
