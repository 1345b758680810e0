"""Many users at once on a real server (issue 13: fast for a team, several app processes).

    .venv/bin/python benchmarks/load.py [--users 20] [--rounds 10] [--think SECONDS]
                                        [--store EVENTS.duckdb]

A throwaway ``RISKATLAS_HOME`` gets the demo (``riskatlas demo --no-serve``: SQLite, the Peru
example, the demo users). Then, for each server shape — ``riskatlas serve`` as one waitress
process of 4 threads (the default) and as gunicorn with 2 app processes of 4 threads each
(``--processes 2``) — the server is started as its own process on loopback and measured:

* **one user**: a logged-in analyst GETs the Peru assessment page, the assessment list and
  the API list, ``--rounds`` × 3 times each in turn, after one warm-up round;
* **N users**: ``--users`` logged-in sessions (one thread each, all at once) each GET the same
  three pages ``--rounds`` times in turn, in an order of their own, with no pause between
  requests (``--think 0``, the default: every user always waiting on the server, the
  hardest case) or a pause drawn at random around ``--think`` seconds (exponential, as people
  reading pages between clicks);
* **PDF**: the Peru report's PDF (``report.pdf``) rendered afresh ``PDF_RENDERS`` times
  alone and as many times while the N users run (the kept file removed from the throwaway
  home's ``reports`` folder before each GET, so the server renders it in the request: Chromium
  beside the app), then the kept file downloaded ``PDF_DOWNLOADS`` times alone and as many
  times while the N users run (after the renders; the users' rounds must last that long).

Wall time of each request from the client's side (``requests``, a session per user, keep-alive);
median and 95th percentile (nearest rank). An error is any answer other than 200 or any
exception. The client runs on the same machine as the server and takes CPU from it: on a
2-core machine this is part of what is measured. Beside them, the server's CPU time (user +
system, from ``/proc``: the server process and every process under it — gunicorn's workers,
the task worker beside them) divided by the requests answered meanwhile: the mean server CPU
per request, one user and N users, and what it predicts for N requests always in flight on the
machine's cores (each waits for about N ÷ cores others: N ÷ cores × the mean).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from _web import count_peru, p95

ROOT = Path(__file__).resolve().parents[1]
RISKATLAS = str(Path(sys.executable).with_name("riskatlas"))
PASSWORD = "load-benchmark-password-1"
PAGES = {
    "assessment page": "/assessments/pe-2009/",
    "list": "/",
    "API list": "/api/v1/assessments/",
}
PDF = "/assessments/pe-2009/v{number}/report.pdf"
PDF_RENDERS = 3
PDF_DOWNLOADS = 20
SHAPES = {
    "waitress, 1 process × 4 threads": ["--threads", "4"],
    "gunicorn, 2 processes × 4 threads": ["--processes", "2", "--threads", "4"],
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def login(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit("the login page has no CSRF token")
    answer = session.post(
        base + "/accounts/login/",
        data={"username": "analyst", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": base + "/accounts/login/"},
        timeout=60,
    )
    if "sessionid" not in session.cookies:
        raise SystemExit(f"login failed ({answer.status_code})")
    return session


class Tally:
    """Request times by what was asked for, and the errors, from many threads."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self._lock = threading.Lock()

    def get(self, session: requests.Session, base: str, name: str, path: str) -> None:
        started = time.perf_counter()
        try:
            answer = session.get(base + path, timeout=120)
            error = None if answer.status_code == 200 else f"{name}: HTTP {answer.status_code}"
        except requests.RequestException as exc:
            error = f"{name}: {type(exc).__name__}"
        took = time.perf_counter() - started
        with self._lock:
            self.times.setdefault(name, []).append(took)
            if error:
                self.errors.append(error)

    def every_page(self) -> list[float]:
        return [t for name in PAGES for t in self.times.get(name, [])]


def one_user(base: str, session: requests.Session, rounds: int, pid: int) -> tuple[Tally, float]:
    """The requests' times, and the server's CPU seconds per request after the warm-up."""
    tally = Tally()
    for path in PAGES.values():  # warm-up, not counted
        session.get(base + path, timeout=120)
    cpu = tree_cpu(pid)
    for _ in range(rounds):
        for name, path in PAGES.items():
            tally.get(session, base, name, path)
    return tally, (tree_cpu(pid) - cpu) / len(tally.every_page())


def forget_pdfs(home: str) -> None:
    """Remove the kept PDFs, so that the next GET renders the report afresh."""
    for kept in (Path(home) / "reports").glob("*.pdf"):
        kept.unlink()


def pdfs(session: requests.Session, base: str, path: str, home: str) -> Tally:
    """``PDF_RENDERS`` GETs of the PDF rendered afresh ("pdf, rendered"), then
    ``PDF_DOWNLOADS`` of the kept file ("pdf, kept")."""
    tally = Tally()
    for _ in range(PDF_RENDERS):
        forget_pdfs(home)
        tally.get(session, base, "pdf, rendered", path)
    for _ in range(PDF_DOWNLOADS):
        tally.get(session, base, "pdf, kept", path)
    return tally


def many_users(
    base: str,
    sessions: list[requests.Session],
    rounds: int,
    pdf: tuple[requests.Session, str, str],
    think: float,
) -> tuple[Tally, Tally, float]:
    tally = Tally()
    start = threading.Barrier(len(sessions) + 1)

    def user(n: int, session: requests.Session) -> None:
        order = random.Random(n)
        start.wait()
        for _ in range(rounds):
            names = list(PAGES)
            order.shuffle(names)
            for name in names:
                if think:
                    time.sleep(order.expovariate(1 / think))
                tally.get(session, base, name, PAGES[name])

    threads = [
        threading.Thread(target=user, args=(n, s), daemon=True) for n, s in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    pdf_session, pdf_path, home = pdf
    start.wait()
    time.sleep(1.0)  # the users are under way
    pdf_tally = pdfs(pdf_session, base, pdf_path, home)
    users_left = sum(thread.is_alive() for thread in threads)
    for thread in threads:
        thread.join()
    return tally, pdf_tally, users_left / len(threads)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and every process under it,
    the children it has waited for included (Linux ``/proc``)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


def serve(home: str, shape: list[str], port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [RISKATLAS, "serve", "--port", str(port), *shape],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).ok:
                return process
        except requests.RequestException:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"the server ({' '.join(shape)}) did not answer within 60 s")


def row(label: str, shape: str, times: list[float], errors: int, reference: float | None) -> str:
    ratio = f"{p95(times) / reference:.1f}" if reference else "1.0"
    return (
        f"| {shape} | {label} | {len(times)} | {errors} | {statistics.median(times) * 1000:.0f} ms"
        f" | {p95(times) * 1000:.0f} ms | {ratio} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between requests")
    parser.add_argument("--store", type=Path, help="an evidence store for the pages to read")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="riskatlas-load-") as home:
        env = {**os.environ, "RISKATLAS_HOME": home, "RISKATLAS_DEMO_PASSWORD": PASSWORD}
        env.pop("DATABASE_URL", None)
        env["RISKATLAS_EVENTS_DB"] = str(args.store or Path(home) / "no-events.duckdb")
        subprocess.run([RISKATLAS, "demo", "--no-serve"], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        if args.store:
            count_peru(args.store)
        store = args.store or "none"
        print(f"Python {platform.python_version()}, {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at the start; {args.users} users × {args.rounds} rounds "
              f"× {len(PAGES)} pages, pause {args.think} s; store: {store}\n")  # fmt: skip
        print("| server | what | requests | errors | median | p95 | p95 × one user |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for shape_name, shape in SHAPES.items():
            port = free_port()
            server = serve(home, shape, port, env)
            base = f"http://127.0.0.1:{port}"
            try:
                session = login(base)
                listing = session.get(base + "/api/v1/assessments/", timeout=60).json()
                entries = listing.get("results", listing) if isinstance(listing, dict) else listing
                peru = next(a for a in entries if a.get("slug") == "pe-2009")
                number = peru.get("current_version", {}).get("number") or peru.get("version") or 1
                pdf = PDF.format(number=number)
                alone, cpu_alone = one_user(base, session, args.rounds, server.pid)
                session.get(base + pdf, timeout=300)  # the first render: Chromium started
                pdf_alone = pdfs(session, base, pdf, home)
                sessions = [login(base) for _ in range(args.users)]
                pdf_session = login(base)
                cpu = tree_cpu(server.pid)  # from here only the requests counted below
                loaded, pdf_loaded, still = many_users(
                    base, sessions, args.rounds, (pdf_session, pdf, home), args.think
                )
                answered = len(loaded.every_page()) + sum(map(len, pdf_loaded.times.values()))
                cpu_loaded = (tree_cpu(server.pid) - cpu) / answered
            finally:
                server.terminate()
                server.wait(timeout=30)
            reference = p95(alone.every_page())
            for name in PAGES:
                errors = sum(e.startswith(name + ":") for e in alone.errors)
                print(row(f"{name}, one user", shape_name, alone.times[name], errors, None))
            print(row("all three, one user", shape_name, alone.every_page(),
                      len(alone.errors), None))  # fmt: skip
            for name in PAGES:
                errors = sum(e.startswith(name + ":") for e in loaded.errors)
                print(row(f"{name}, {args.users} users", shape_name, loaded.times[name], errors,
                          p95(alone.times[name])))  # fmt: skip
            print(row(f"all three, {args.users} users", shape_name, loaded.every_page(),
                      len(loaded.errors), reference))  # fmt: skip
            for name in ("pdf, rendered", "pdf, kept"):
                failed = sum(e.startswith(name + ":") for e in pdf_alone.errors)
                print(row(f"{name}, alone", shape_name, pdf_alone.times[name], failed, None))
                failed = sum(e.startswith(name + ":") for e in pdf_loaded.errors)
                print(row(f"{name}, beside {args.users} users", shape_name,
                          pdf_loaded.times[name], failed, p95(pdf_alone.times[name])))  # fmt: skip
            if still < 1:
                print(f"| {shape_name} | note: {1 - still:.0%} of the users had finished before"
                      " the PDFs were done | | | | | |")  # fmt: skip
            waits = args.users / (os.cpu_count() or 1)  # requests ahead of each, with no pause
            mean = cpu_loaded * 1000
            print(f"| {shape_name} | server CPU per request (mean): one user "
                  f"{cpu_alone * 1000:.1f} ms, {args.users} users {mean:.1f} ms;"
                  f" {waits:.0f} × that = {waits * mean:.0f} ms | | | | | |")  # fmt: skip
            if loaded.errors:
                print(f"\nerrors ({shape_name}): {sorted(set(loaded.errors))}\n")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
