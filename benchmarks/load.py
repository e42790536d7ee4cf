"""Load: 50 users submitting incidents and reading records through the API for 2 minutes.

The production-style server (``crossings serve``: granian, 2 workers) runs on PostgreSQL (a
throw-away cluster from ``scripts/postgres.sh``). locust (FastHttpUser, headless) drives three
kinds of request: submitting a new incident (``POST /api/records``, a token per officer),
reading a page of records and reading one record. The baseline, measured in the same run by the
same users, is the sign-in page: the whole Django stack without the database.

Printed: p50/p95/p99 and requests per second per kind, errors, the ratio of each kind's p95 to
the baseline's, and the incidents submitted (201 answers) against those stored (counted in the
database afterwards). Target: p95 < 500 ms, no errors, every submitted incident stored once.

    .venv/bin/python benchmarks/load.py [--users 50] [--seconds 120]
"""

from __future__ import annotations

import sys

if "locust" in sys.modules:  # loaded by locust as its locustfile
    import itertools
    import os
    import random
    import uuid
    from pathlib import Path

    from locust import between, task
    from locust.contrib.fasthttp import FastHttpUser

    TOKENS = os.environ["LOAD_TOKENS"].split(",")
    SUBMITTED = os.environ["LOAD_SUBMITTED"]
    _numbers = itertools.count()

    class Officer(FastHttpUser):
        """An officer who submits incidents and reads what their country holds."""

        wait_time = between(0.2, 1.0)

        def on_start(self) -> None:
            token = TOKENS[next(_numbers) % len(TOKENS)]
            self.headers = {"Authorization": f"Bearer {token}"}
            self.seen: list[str] = []

        @task(1)
        def submit(self) -> None:
            reference = f"LOAD-{uuid.uuid4().hex[:12].upper()}"
            body = {"record_type": "incident", "submit": True, "data": {
                "incident_ref": reference, "detection_date": "2025-03-02",
                "location_type": "LAND_BCP", "event_types": ["IRREGULAR_CROSSING"],
                "route_legs": [{"leg_no": 1, "from_country": "KHM", "to_country": "THA"}],
                "migrant_groups": [{"group_no": 1, "citizenship": "KHM", "total": 7}]}}
            with self.client.post("/api/records", json=body, headers=self.headers,
                                  name="submit", catch_response=True) as response:
                if response.status_code == 201:
                    self.seen.append(response.json()["id"])
                    with Path(SUBMITTED).open("a", encoding="utf-8") as handle:
                        handle.write(reference + "\n")
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")

        @task(3)
        def read_list(self) -> None:
            self.client.get("/api/records?page_size=20", headers=self.headers, name="list")

        @task(2)
        def read_one(self) -> None:
            if self.seen:
                self.client.get(f"/api/records/{random.choice(self.seen)}",
                                headers=self.headers, name="read")

        @task(2)
        def baseline(self) -> None:
            self.client.get("/login/", name="baseline")


import csv
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PORT = 8765


def postgres(folder: Path) -> str:
    """A throw-away PostgreSQL cluster; its URL."""
    env = {**os.environ, "CROSSINGS_PG_PORT": os.environ.get("CROSSINGS_PG_PORT", "55436")}
    return subprocess.check_output([str(ROOT / "scripts/postgres.sh"), "start", str(folder)],
                                   env=env, text=True).strip()


def stop_postgres(folder: Path) -> None:
    env = {**os.environ, "CROSSINGS_PG_PORT": os.environ.get("CROSSINGS_PG_PORT", "55436")}
    subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop", str(folder)], env=env,
                   check=False)


def server_env(database: str, var: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database, "CROSSINGS_VAR_DIR": str(var),
            "CROSSINGS_ENV": "development", "CROSSINGS_SECRET_KEY": "load-" + "x" * 40,
            "DJANGO_SETTINGS_MODULE": "crossings.web.settings"}


def django_call(env: dict[str, str], code: str) -> str:
    """Run Python with Django set up against the benchmark's store; its stdout."""
    script = "import django; django.setup()\n" + code
    return subprocess.check_output([str(BIN / "python"), "-c", script], env=env, text=True,
                                   cwd=ROOT)


def start_server(env: dict[str, str], port: int = PORT) -> subprocess.Popen[bytes]:
    """``crossings serve`` in its own process group (so it can be killed whole)."""
    process = subprocess.Popen([str(BIN / "crossings"), "serve", "--port", str(port)],
                               env=env, cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the server did not start")


def stop_server(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    os.killpg(process.pid, sig)
    process.wait(timeout=30)


SETUP = """
from crossings.web.setup import initialise, create_demo_users
from crossings.web.accounts.tokens import create_token
initialise(); create_demo_users()
print(",".join(create_token(u)[1] for u in ("khm-officer", "tha-officer", "vnm-officer")))
"""


def stats(prefix: Path) -> dict[str, dict[str, float]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8") as handle:
        return {row["Name"]: {"count": float(row["Request Count"]),
                              "failures": float(row["Failure Count"]),
                              "p50": float(row["50%"]), "p95": float(row["95%"]),
                              "p99": float(row["99%"]), "rps": float(row["Requests/s"])}
                for row in csv.DictReader(handle)}


def report(numbers: dict[str, dict[str, float]], submitted: int, stored: int) -> bool:
    base = numbers["baseline"]["p95"] or 1.0
    print(f"{'request':10} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'rps':>7} {'p95/baseline':>12}")
    for name in ("baseline", "list", "read", "submit", "Aggregated"):
        n = numbers.get(name)
        if n:
            print(f"{name:10} {n['count']:7.0f} {n['failures']:6.0f} {n['p50']:7.0f} "
                  f"{n['p95']:7.0f} {n['p99']:7.0f} {n['rps']:7.1f} {n['p95'] / base:12.1f}")
    print(f"submitted {submitted} incidents (201); stored {stored}")
    total = numbers["Aggregated"]
    ok = total["p95"] < 500 and total["failures"] == 0 and submitted == stored
    print("target p95 < 500 ms, no errors, every submitted incident stored once:",
          "MET" if ok else "NOT MET")
    return ok


def main(users: int = 50, seconds: int = 120) -> int:
    with tempfile.TemporaryDirectory(prefix="crossings-load-") as folder:
        work = Path(folder)
        pg = Path(tempfile.mkdtemp(prefix="crossings-pg-"))  # the postgres user must reach it
        database = postgres(pg)
        server = None
        try:
            env = server_env(database, work / "var")
            tokens = django_call(env, SETUP).strip().splitlines()[-1]
            server = start_server(env)
            submitted_file = work / "submitted.txt"
            submitted_file.touch()
            subprocess.run([str(BIN / "locust"), "-f", __file__, "--headless", "-u", str(users),
                            "-r", "10", "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}",
                            "--csv", str(work / "run"), "--only-summary", "--loglevel", "ERROR"],
                           env={**env, "LOAD_TOKENS": tokens,
                                "LOAD_SUBMITTED": str(submitted_file)}, check=False, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            stop_server(server)
            server = None
            references = submitted_file.read_text(encoding="utf-8").split()
            stored = int(django_call(env, (
                "from crossings.web.reporting.models import Record\n"
                "print(Record.objects.filter(reference__startswith='LOAD-').count())")).strip())
            distinct = len(set(references))
            assert distinct == len(references), "a reference was submitted twice"
            return 0 if report(stats(work / "run"), len(references), stored) else 1
        finally:
            if server is not None:
                stop_server(server)
            stop_postgres(pg)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    arguments = parser.parse_args()
    sys.exit(main(arguments.users, arguments.seconds))
