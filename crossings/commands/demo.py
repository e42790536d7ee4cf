"""`crossings init`, `demo` and `serve`: a running Crossings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from crossings.commands.common import require_store, setup_django


@click.command()
def init() -> None:
    """Create or upgrade the database and load the organisation hierarchy."""
    setup_django()
    from crossings.web.setup import initialise  # noqa: PLC0415

    units = initialise()
    click.echo(f"Store ready with {units} reporting units.", err=True)


@click.command()
@click.option("--no-serve", is_flag=True, help="Prepare the demo but do not start the server.")
@click.option("--incidents", default=1000, show_default=True, help="Incidents to generate.")
@click.option("--seed", default=2025, show_default=True, help="Seed of the generator.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
def demo(no_serve: bool, incidents: int, seed: int, host: str, port: int) -> None:
    """Initialise the store, load generated demo data and users, then serve."""
    setup_django()
    from django.conf import settings  # noqa: PLC0415

    from crossings.synthetic import generate as generate_data  # noqa: PLC0415
    from crossings.web.setup import (  # noqa: PLC0415
        create_demo_users,
        initialise,
        share_demo_records,
    )

    initialise()
    data_dir = Path(settings.VAR_DIR) / f"demo-{incidents}-{seed}"
    if not data_dir.exists():
        click.echo(f"Generating {incidents} demo incidents in {data_dir} ...", err=True)
        generate_data(data_dir, incidents=incidents, seed=seed)
    _load_demo(data_dir)
    logins = create_demo_users()
    approved = share_demo_records()
    click.echo(f"  approved {approved} submitted records as the focal points", err=True)
    _link_demo()
    click.echo("Demo logins (user / password / role / country; TOTP secret for the second "
               "factor, to add to an authenticator app):")
    for login in logins:
        where = login.unit or login.country or "region"
        secret = f" / TOTP {login.totp_secret}" if login.needs_totp else ""
        click.echo(f"  {login.username} / {login.password} / {login.role.label} / "
                   f"{where}{secret}")
    if not no_serve:
        click.echo(f"Crossings is at http://{host}:{port}/ (Ctrl-C stops it)")
        _serve(host, port, workers=1)


def _load_demo(data_dir: Path) -> None:
    from crossings.web.accounts.models import Unit  # noqa: PLC0415
    from crossings.web.reporting.actions import import_files  # noqa: PLC0415

    for country_dir in sorted(p for p in data_dir.iterdir() if p.is_dir() and len(p.name) == 3):
        unit = Unit.objects.filter(country__code=country_dir.name, kind="NFP").first()
        files = sorted(country_dir.glob("*.csv"))
        if unit is None or not files:
            continue
        result = import_files(files, unit.code)
        if not result.ok:
            for found in result.problems[:10]:
                click.echo(f"  {found.where()}: {found.message}", err=True)
            raise click.ClickException(f"demo data for {country_dir.name} was rejected")
        click.echo(f"  {country_dir.name}: {result.created} new, {result.revised} revised, "
                   f"{result.unchanged} already loaded", err=True)


def _link_demo() -> None:
    """Link each demo country's persons (about 30 s the first time, 3 s again), so the
    linkage review queue has pairs; later runs apply the stored models and the decisions."""
    from crossings.web.intelligence.actions import link_country  # noqa: PLC0415
    from crossings.web.setup import DEMO_COUNTRIES  # noqa: PLC0415

    for code in DEMO_COUNTRIES:
        outcome = link_country(code)
        click.echo(f"  {code}: linked {outcome['persons']} persons into "
                   f"{outcome['person_identities']} identities, {outcome['to_review']} pairs "
                   "to review", err=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web application (granian, production-style WSGI server)."""
    require_store()
    _serve(host, port, workers)


def _serve(host: str, port: int, workers: int) -> None:
    from django.core.management import call_command  # noqa: PLC0415

    call_command("collectstatic", interactive=False, verbosity=0)
    command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host,
               "--port", str(port), "--workers", str(workers), "--blocking-threads", "4",
               "crossings.web.wsgi:application"]
    try:
        sys.exit(subprocess.call(command))  # noqa: S603 - our own interpreter and arguments
    except KeyboardInterrupt:
        sys.exit(0)
