"""Crash: the server is killed (SIGKILL) in the middle of a 100,000-row upload.

An officer's token uploads one CSV of 100,000 incidents through ``POST /api/uploads`` to the
production-style server (``crossings serve``) on PostgreSQL. As soon as the server is writing
the batch (its INSERTs show in ``pg_stat_activity``), the whole server process group is killed
with SIGKILL. After a restart the batch must be wholly there or wholly absent: the records are
counted and printed. The same file is then uploaded again, to the end, and counted again.

    .venv/bin/python benchmarks/crash_upload.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import (
    PORT,
    django_call,
    postgres,
    server_env,
    start_server,
    stop_postgres,
    stop_server,
)

COUNT = ("from crossings.web.reporting.models import Record\n"
         "print(Record.objects.filter(reference__startswith='CRASH-').count())")
BATCH_OPEN = ("select coalesce(max(extract(epoch from now() - xact_start)), 0) "
              "from pg_stat_activity where datname = current_database() "
              "and pid <> pg_backend_pid() and state <> 'idle'")
IN_THE_MIDDLE = 3.0
"""Seconds the server's batch transaction has been open (writing chunk after chunk) when the
server is killed."""
TOKEN = ("from crossings.web.setup import initialise, create_demo_users\n"
         "from crossings.web.accounts.tokens import create_token\n"
         "initialise(); create_demo_users(); print(create_token('khm-officer')[1])")


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("incident_ref,detection_date,location_type,event_types,border_country\n")
        for n in range(1, rows + 1):
            handle.write(f"CRASH-{n:06d},2025-03-{n % 28 + 1:02d},LAND_BCP,"
                         "IRREGULAR_CROSSING,THA\n")


def upload(path: Path, token: str, outcome: dict[str, object]) -> None:
    """POST the file as multipart/form-data; note the answer (or that there was none)."""
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"unit\"\r\n\r\n"
            f"KHM-BLO-POIPET\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"files\"; filename=\"incidents.csv\"\r\nContent-Type: text/csv\r\n\r\n")
    body = head.encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=900)
    started = time.monotonic()
    try:
        connection.request("POST", "/api/uploads", body, {
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        outcome["status"] = response.status
        outcome["body"] = json.loads(response.read() or b"{}")
    except (OSError, http.client.HTTPException) as exc:
        outcome["error"] = type(exc).__name__
    outcome["seconds"] = time.monotonic() - started


def wait_for_batch(database: str, thread: threading.Thread, limit: float = 600) -> float:
    """Seconds after the upload started when the server's batch transaction had been open for
    IN_THE_MIDDLE seconds; -1 when the upload ended first."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(database, autocommit=True) as connection:
        while thread.is_alive() and time.monotonic() - started < limit:
            row = connection.execute(BATCH_OPEN).fetchone()
            if row and float(row[0]) >= IN_THE_MIDDLE:
                return time.monotonic() - started
            time.sleep(0.1)
    return -1.0


def main(rows: int) -> int:
    with tempfile.TemporaryDirectory(prefix="crossings-crash-") as folder:
        work = Path(folder)
        pg = Path(tempfile.mkdtemp(prefix="crossings-pg-"))
        database = postgres(pg)
        server = None
        try:
            env = server_env(database, work / "var")
            token = django_call(env, TOKEN).strip().splitlines()[-1]
            data = work / "incidents.csv"
            write_csv(data, rows)
            print(f"{rows} rows, {data.stat().st_size / 1e6:.1f} MB")
            server = start_server(env)
            outcome: dict[str, object] = {}
            thread = threading.Thread(target=upload, args=(data, token, outcome))
            thread.start()
            writing_after = wait_for_batch(database, thread)
            alive = thread.is_alive()
            stop_server(server, signal.SIGKILL)
            server = None
            thread.join(60)
            print(f"the batch had been open {IN_THE_MIDDLE:.0f} s at {writing_after:.1f} s "
                  "after the upload started; "
                  f"SIGKILL sent {'during' if alive else 'AFTER'} the upload "
                  f"(client saw: {outcome.get('error') or outcome.get('status')})")
            server = start_server(env)
            after_crash = int(django_call(env, COUNT).strip())
            verdict = "absent" if after_crash == 0 else (
                "wholly there" if after_crash == rows else "PARTIAL")
            print(f"after restart: {after_crash} of {rows} records stored -> batch {verdict}")
            again: dict[str, object] = {}
            upload(data, token, again)
            final = int(django_call(env, COUNT).strip())
            print(f"uploaded again: HTTP {again.get('status')} in {again['seconds']:.0f} s; "
                  f"{final} of {rows} records stored")
            return 0 if verdict != "PARTIAL" and alive and final == rows else 1
        finally:
            if server is not None:
                stop_server(server)
            stop_postgres(pg)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    sys.exit(main(parser.parse_args().rows))
