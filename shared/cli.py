"""The ``gia`` command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from importlib import import_module

import click
from sqlalchemy.orm import Session

from services.indicators.commands import indicators
from shared import processes
from shared.auth.accounts import add_account
from shared.auth.tokens import ROLES, mint_token
from shared.db import Database
from shared.events.outbox import EventRecorder
from shared.migrations import DATABASES, upgrade
from shared.municipalities import check_file
from shared.settings import (
    AUTH_DATABASE,
    MAILERS,
    PUBLISHERS,
    SERVICES,
    Settings,
    load_settings,
)


@click.group()
def main() -> None:
    """GIA 2012 platform."""


@main.command()
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--subject", default="cli", help="Who the token is for (shown in logs).")
@click.option("--hours", default=12, show_default=True, type=click.IntRange(1, 24 * 30))
def token(role: str, subject: str, hours: int) -> None:
    """Print a bearer token for ROLE, signed with the shared secret key."""
    settings = load_settings()
    click.echo(mint_token(settings.secret_key, role, subject, timedelta(hours=hours)))


@main.group()
def municipalities() -> None:
    """The municipality register."""


@municipalities.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def check(path: str) -> None:
    """Report everything wrong with a register CSV (row numbers as in a spreadsheet)."""
    problems = check_file(path)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {path}", err=True)
        sys.exit(1)
    click.echo(f"{path}: no problems")


@main.group()
def staff() -> None:
    """Accounts of ministry staff and jury members."""


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.password_option(help="At least 12 characters; asked for when not given.")
def staff_add(email: str, role: str, password: str) -> None:
    """Create an account for EMAIL, or reset its role and password."""
    settings = load_settings()
    upgrade(settings, (AUTH_DATABASE,))
    db = Database.for_service(settings, AUTH_DATABASE)
    try:
        with db.transaction() as session:
            account = add_account(session, email, role, password)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    finally:
        db.dispose()
    click.echo(f"{account.email} can log in as {account.role}")


@main.command()
@click.argument("services", nargs=-1, type=click.Choice(DATABASES))
def migrate(services: tuple[str, ...]) -> None:
    """Bring the databases of SERVICES (default: all) up to date."""
    names = services or DATABASES
    upgrade(load_settings(), names)
    click.echo(f"migrated: {', '.join(names)}")


@main.command()
@click.argument("service", type=click.Choice(SERVICES))
@click.option("--port", type=int, help="Default: $PORT, else GIA_<SERVICE>_PORT or its own.")
def serve(service: str, port: int | None) -> None:
    """Serve SERVICE under gunicorn (deploy/gunicorn.conf.py)."""
    processes.serve(load_settings(), service, port)


@main.command("relay")
@click.argument("service", type=click.Choice(PUBLISHERS))
def relay_command(service: str) -> None:
    """Publish SERVICE's outbox to the broker until SIGTERM."""
    processes.relay(load_settings(), service)


@main.command()
@click.argument("service", type=click.Choice(["indicators"]))
def consume(service: str) -> None:
    """Consume events for SERVICE until SIGTERM."""
    processes.consume(load_settings())


@main.command("seed")
def seed_command() -> None:
    """Add example meetings in the shape of the 2012 programme and an example essay contest
    (both marked "Voorbeeld")."""
    from services.essay_contest import seed as contest
    from services.registration import seed as meetings
    from services.registration.models import Outbox

    settings = load_settings()
    upgrade(settings, ("registration", "essay_contest"))
    recorder = EventRecorder(Outbox, settings.event_source("registration"))
    with _session(settings, "registration") as session:
        added = meetings.seed(session, recorder, date.today())
    click.echo(f"{added} example meetings added" if added else "example meetings already there")
    with _session(settings, "essay_contest") as session:
        opened = contest.seed(session, date.today())
    click.echo("example essay contest added" if opened else "example essay contest already there")


@contextmanager
def _session(settings: Settings, service: str) -> Iterator[Session]:
    """One transaction on a service's database, its connections closed after."""
    db = Database.for_service(settings, service)
    try:
        with db.transaction() as session:
            yield session
    finally:
        db.dispose()


@main.command()
@click.option("--hours", default=24, show_default=True, help="Remind for meetings this soon.")
@click.option("--every", type=int, help="Keep running, looking again every N seconds.")
def remind(hours: int, every: int | None) -> None:
    """Queue a reminder for everyone with a seat at a meeting in the coming day."""
    from services.registration.service import queue_reminders

    settings = load_settings()
    db = Database.for_service(settings, "registration")
    stop = processes.stop_on_signals()
    while True:
        with db.transaction() as session:
            queued = queue_reminders(session, datetime.now(UTC), timedelta(hours=hours))
        if queued or not every:
            click.echo(f"{queued} reminder(s) queued")
        if not every or stop.wait(every):
            db.dispose()
            return


@main.command()
@click.argument("service", type=click.Choice(["practiceteam"]))
@click.option("--every", type=int, help="Keep running, looking again every N seconds.")
def erase(service: str, every: int | None) -> None:
    """Erase the personal data of SERVICE's requests whose retention period is over
    (GIA_PRACTICETEAM_RETENTION_DAYS after they became final)."""
    from services.practiceteam.documents import DocumentStore
    from services.practiceteam.erasure import erase_due

    settings = load_settings()
    db = Database.for_service(settings, service)
    store = DocumentStore.from_settings(settings)
    stop = processes.stop_on_signals()
    while True:
        erased = erase_due(db, store, datetime.now(UTC), settings.practiceteam_retention_days)
        if erased or not every:
            click.echo(f"{erased} request(s) erased")
        if not every or stop.wait(every):
            db.dispose()
            return


@main.command("mail")
@click.argument("service", type=click.Choice(MAILERS))
def mail_command(service: str) -> None:
    """Send SERVICE's queued mail until SIGTERM (retrying what the mail server refused)."""
    worker = import_module(f"services.{service}.notices").mail_worker(load_settings())
    worker.run(processes.stop_on_signals())
    worker.db.dispose()


@main.command()
def run() -> None:
    """Migrate, then run every service, relay and consumer until Ctrl-C."""
    settings = load_settings()
    upgrade(settings)
    sys.exit(processes.run_all(settings, click.echo))


main.add_command(indicators)

if __name__ == "__main__":
    main()
