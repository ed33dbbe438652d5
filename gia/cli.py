"""The ``gia`` command, built from the registry: every service's processes, jobs and commands."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta

import click

from gia import supervisor
from gia.migrations import upgrade
from gia.registry import MANIFESTS, processes
from shared.auth.accounts import add_account
from shared.auth.tokens import ROLES, mint_token
from shared.clock import amsterdam_today, utcnow
from shared.db import Database
from shared.manifest import Job, Manifest, resolve
from shared.municipalities import check_file
from shared.settings import AUTH_DATABASE, load_settings


@click.command()
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--subject", default="cli", help="Who the token is for (shown in logs).")
@click.option("--hours", default=12, show_default=True, type=click.IntRange(1, 24 * 30))
def token(role: str, subject: str, hours: int) -> None:
    """Print a bearer token for ROLE, signed with the shared secret key."""
    settings = load_settings()
    click.echo(mint_token(settings.secret_key, role, subject, timedelta(hours=hours)))


@click.group()
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


@click.group()
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


def build_cli(manifests: Sequence[Manifest] = MANIFESTS) -> click.Group:
    """The whole command for these services; ``main`` is it for the registry's."""
    main = click.Group("gia", help="GIA 2012 platform.", commands=[token, municipalities, staff])
    by_name = {found.name: found for found in manifests}
    databases = (*by_name, AUTH_DATABASE)

    def names(has: str) -> click.Choice:
        return click.Choice([found.name for found in manifests if getattr(found, has)])

    @main.command()
    @click.argument("names", nargs=-1, type=click.Choice(databases))
    def migrate(names: tuple[str, ...]) -> None:
        """Bring the databases NAMES (default: all) up to date."""
        chosen = names or databases
        upgrade(load_settings(), chosen)
        click.echo(f"migrated: {', '.join(chosen)}")

    @main.command()
    @click.argument("service", type=names("app"))
    @click.option("--port", type=int, help="Default: $PORT, else GIA_<SERVICE>_PORT or its own.")
    def serve(service: str, port: int | None) -> None:
        """Serve SERVICE under gunicorn (deploy/gunicorn.conf.py)."""
        supervisor.serve(load_settings(), by_name[service], port)

    @main.command()
    @click.argument("service", type=names("outbox"))
    def relay(service: str) -> None:
        """Publish SERVICE's outbox to the broker until SIGTERM."""
        supervisor.relay(load_settings(), by_name[service])

    @main.command()
    @click.argument("service", type=names("consumer"))
    def consume(service: str) -> None:
        """Consume events for SERVICE until SIGTERM."""
        supervisor.consume(load_settings(), by_name[service])

    @main.command()
    @click.argument("service", type=names("mail"))
    def mail(service: str) -> None:
        """Send SERVICE's queued mail until SIGTERM (retrying what the mail server refused)."""
        supervisor.send_mail(load_settings(), by_name[service])

    @main.command()
    def seed() -> None:
        """Add each service's examples (titles starting "Voorbeeld"), once."""
        settings = load_settings()
        seeding = [found for found in manifests if found.seed]
        upgrade(settings, [found.name for found in seeding])
        for found in seeding:
            db = Database.for_service(settings, found.name)
            try:
                click.echo(resolve(found.seed or "")(db, settings, amsterdam_today()))
            finally:
                db.dispose()

    @main.command("services")
    def list_services() -> None:
        """Each service with the processes ``gia run`` starts for it."""
        for found in manifests:
            click.echo(f"{found.name} (port {found.port})")
            for process in processes([found]):
                click.echo(f"  {process.name:<24} gia {' '.join(process.args)}")

    @main.command()
    def run() -> None:
        """Migrate, then run every service, relay, consumer, mail worker and periodic job
        until Ctrl-C."""
        settings = load_settings()
        upgrade(settings, databases)
        sys.exit(supervisor.run_all(settings, click.echo, manifests))

    for found in manifests:
        if found.commands:
            main.add_command(resolve(found.commands))
        for job in found.jobs:
            _place(main, job.command[:-1]).add_command(_job_command(found, job))
    return main


def _place(group: click.Group, words: Sequence[str]) -> click.Group:
    """The group at ``gia <words>``, made where it is not there yet."""
    for word in words:
        found = group.commands.get(word)
        if not isinstance(found, click.Group):
            found = click.Group(word, help=f"gia {word} SERVICE")
            group.add_command(found)
        group = found
    return group


def _job_command(service: Manifest, job: Job) -> click.Command:
    @click.command(job.command[-1], help=job.help)
    @click.option("--every", type=int, help="Keep running, again every N seconds.")
    def command(every: int | None) -> None:
        settings = load_settings()
        db = Database.for_service(settings, service.name)
        stop = supervisor.stop_on_signals()
        try:
            while True:
                count = job.run_once(db, settings, utcnow())
                if count or not every:
                    click.echo(job.told.format(count))
                if not every or stop.wait(every):
                    return
        finally:
            db.dispose()

    return command


main = build_cli()

if __name__ == "__main__":
    main()
