"""The ``gia`` command, built from the registry: every service's processes, jobs and commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta

import click
from kombu import Connection
from kombu.exceptions import OperationalError
from sqlalchemy.orm import Session

from gia import supervisor
from gia.migrations import upgrade
from gia.registry import MANIFESTS, application_name, processes, topology
from shared.auth.accounts import (
    UnknownAccount,
    add_account,
    end_sessions,
    list_accounts,
    normalise_email,
    remove_account,
    set_role,
)
from shared.auth.revocations import revoke_token
from shared.auth.tokens import LONGEST_TTL, ROLES, InvalidToken, mint_token, verify_token
from shared.clock import amsterdam, amsterdam_today, utcnow
from shared.db import Database
from shared.events import dead_letters
from shared.events.publisher import NotConfirmed
from shared.events.topology import Topology, TopologyMismatch
from shared.heartbeat import Heartbeat, heartbeat_age, heartbeat_path
from shared.mail_queue import MailWorker
from shared.manifest import Job, Manifest, resolve
from shared.municipalities import check_file
from shared.settings import AUTH_DATABASE, Settings, load_settings


@click.group(invoke_without_command=True)
@click.option("--role", type=click.Choice(ROLES), help="Required to mint a token.")
@click.option("--subject", default="cli", help="Who the token is for (shown in logs).")
@click.option(
    "--hours",
    default=12,
    show_default=True,
    type=click.IntRange(1, int(LONGEST_TTL.total_seconds()) // 3600),
)
@click.pass_context
def token(context: click.Context, role: str | None, subject: str, hours: int) -> None:
    """Print a bearer token for ROLE, signed with the shared secret key; its id (jti), for
    ``gia token revoke``, goes to stderr."""
    if context.invoked_subcommand:
        return
    if role is None:
        raise click.UsageError("Missing option '--role'.")
    settings = load_settings()
    minted = mint_token(settings.secret_key, role, subject, timedelta(hours=hours))
    click.echo(minted)
    click.echo(f"token id (jti): {verify_token(settings.secret_key, minted).token_id}", err=True)


@token.command("revoke")
@click.argument("token_or_id")
def token_revoke(token_or_id: str) -> None:
    """Refuse a token from now on, in every service: TOKEN_OR_ID is its id (jti) or the token."""
    settings = load_settings()
    expires_at = None
    token_id = token_or_id.strip()
    if "." in token_id:  # a token itself: header.claims.signature
        try:
            principal = verify_token(settings.secret_key, token_id)
        except InvalidToken as error:
            raise click.ClickException(f"{error}; nothing to revoke") from error
        token_id, expires_at = principal.token_id or "", principal.expires_at
    with _accounts(settings) as session:
        revoke_token(session, token_id, expires_at)
    click.echo(f"revoked token {token_id}")


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


@contextmanager
def _accounts(settings: Settings) -> Iterator[Session]:
    """A transaction on the auth database, brought up to date first; an unknown account, role
    or token id ends the command with its message and exit status 1."""
    upgrade(settings, (AUTH_DATABASE,))
    db = Database.for_service(settings, AUTH_DATABASE)
    try:
        with db.transaction() as session:
            yield session
    except (UnknownAccount, ValueError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        db.dispose()


@staff.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.password_option(help="At least 12 characters; asked for when not given.")
def staff_add(email: str, role: str, password: str) -> None:
    """Create an account for EMAIL, or reset its role and password (ending its sessions)."""
    with _accounts(load_settings()) as session:
        account = add_account(session, email, role, password)
    click.echo(f"{account.email} can log in as {account.role}")


@staff.command("list")
def staff_list() -> None:
    """Every account: e-mail, role and when it was made (Amsterdam time)."""
    with _accounts(load_settings()) as session:
        for account in list_accounts(session):
            click.echo(f"{account.email}\t{account.role}\t{amsterdam(account.created_at)}")


@staff.command("remove")
@click.argument("email")
def staff_remove(email: str) -> None:
    """Remove the account of EMAIL; its sessions end at once."""
    with _accounts(load_settings()) as session:
        remove_account(session, email)
    click.echo(f"{normalise_email(email)} removed")


@staff.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def staff_set_role(email: str, role: str) -> None:
    """Give the account of EMAIL another ROLE; its sessions end at once."""
    with _accounts(load_settings()) as session:
        account = set_role(session, email, role)
    click.echo(f"{account.email} is now {account.role}; logged out everywhere")


@staff.command("logout-everywhere")
@click.argument("email")
def staff_logout_everywhere(email: str) -> None:
    """End every session of the account of EMAIL, on every device."""
    with _accounts(load_settings()) as session:
        account = end_sessions(session, email)
    click.echo(f"{account.email} logged out everywhere")


def _settings_as(process: str) -> Settings:
    """The settings of the long-running ``process`` ("relay registration"), named so in
    PostgreSQL also when docker compose or Kubernetes start it rather than ``gia run``."""
    os.environ.setdefault("GIA_PROCESS", application_name(process))
    return load_settings()


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
        supervisor.relay(_settings_as(f"relay {service}"), by_name[service])

    @main.command()
    @click.argument("service", type=names("consumer"))
    def consume(service: str) -> None:
        """Consume events for SERVICE until SIGTERM."""
        supervisor.consume(_settings_as(f"consumer {service}"), by_name[service])

    mailing = [found for found in manifests if found.mail]
    mail = _place(main, ["mail"])
    for found in mailing:
        mail.add_command(_mail_command(found))

    @mail.command("failed")
    @click.argument("service", required=False, type=names("mail"))
    def mail_failed(service: str | None) -> None:
        """The mail given up on after repeated refusals (of SERVICE, default all): id, to,
        subject, attempts, last error and when (Amsterdam time)."""
        settings = load_settings()
        for found in mailing:
            if service in (None, found.name):
                with _mail_worker(settings, found) as worker:
                    for given in worker.given_up():
                        when = amsterdam(given.at) if given.at else ""
                        click.echo(
                            f"{found.name}\t{given.id}\t{given.to}\t{given.subject}\t"
                            f"{given.attempts}\t{given.last_error or ''}\t{when}"
                        )

    @mail.command("retry")
    @click.argument("ids", nargs=-1)
    @click.option("--all", "everything", is_flag=True, help="Every given-up mail.")
    def mail_retry(ids: tuple[str, ...], everything: bool) -> None:
        """Put the given-up mails IDS (or --all) back in their queue, to be tried afresh."""
        if not ids and not everything:
            raise click.UsageError("Name the mails' ids or give --all.")
        settings = load_settings()
        count = 0
        for found in mailing:
            with _mail_worker(settings, found) as worker:
                count += worker.retry(None if everything else list(ids))
        click.echo(f"{count} mail(s) queued again")

    @main.command()
    @click.argument("process", nargs=-1, required=True)
    @click.option("--max-age", default=60, show_default=True, type=click.IntRange(min=1))
    def alive(process: tuple[str, ...], max_age: int) -> None:
        """Exit 0 when the worker PROCESS (as `gia services` names it: relay registration)
        went round its loop in the last MAX_AGE seconds, else 1: its liveness probe."""
        name = " ".join(process)
        workers = [found.name for found in processes(manifests) if found.web is None]
        if name not in workers:
            raise click.BadParameter(f"not one of: {', '.join(workers)}", param_hint="PROCESS")
        age = heartbeat_age(heartbeat_path(load_settings().var_dir, application_name(name)))
        if age is None or age > max_age:
            since = "never" if age is None else f"{age:.0f}s ago"
            click.echo(f"{name}: stuck or gone, its loop last went round {since}", err=True)
            sys.exit(1)
        click.echo(f"{name}: alive, its loop went round {age:.0f}s ago")

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
    main.add_command(_dead_letters(manifests))
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


def _mail_command(service: Manifest) -> click.Command:
    @click.command(service.name)
    def command() -> None:
        """Send this service's queued mail until SIGTERM (retrying what the server refused)."""
        supervisor.send_mail(_settings_as(f"mail {service.name}"), service)

    return command


@contextmanager
def _mail_worker(settings: Settings, service: Manifest) -> Iterator[MailWorker]:
    worker: MailWorker = resolve(service.mail or "")(settings)
    try:
        yield worker
    finally:
        worker.db.dispose()


def _job_command(service: Manifest, job: Job) -> click.Command:
    @click.command(job.command[-1], help=job.help)
    @click.option("--every", type=int, help="Keep running, again every N seconds.")
    def command(every: int | None) -> None:
        settings = _settings_as(" ".join(job.command))
        db = Database.for_service(settings, service.name)
        stop = supervisor.stop_on_signals()
        heartbeat = Heartbeat.of_process(settings)
        try:
            while True:
                heartbeat.beat()
                count = job.run_once(db, settings, utcnow())
                if count or not every:
                    click.echo(job.told.format(count))
                if not every or heartbeat.wait(stop, every):
                    return
        finally:
            db.dispose()

    return command


def _dead_letters(manifests: Sequence[Manifest]) -> click.Group:
    """``gia dead``: what the consumers parked (``shared.events.dead_letters``)."""
    consumers = click.Choice([found.name for found in manifests if found.consumer])

    @click.group("dead")
    def dead() -> None:
        """Messages the consumers parked on their dead queues: look at them, and replay or drop
        them. On RabbitMQ as GIA_DEAD_LETTERS_BROKER_URL's user, else GIA_BROKER_URL's."""

    @contextmanager
    def broker() -> Iterator[tuple[Connection, Topology]]:
        settings = load_settings()
        try:
            with dead_letters.connect(settings) as connection:
                connection.ensure_connection(max_retries=1)
                yield connection, topology(settings, manifests)
        except (OperationalError, TopologyMismatch, NotConfirmed) as error:
            raise click.ClickException(str(error)) from error

    def all_found(ids: Sequence[str], found: Sequence[dead_letters.Parked]) -> None:
        if missing := sorted(set(ids) - {parked.id for parked in found}):
            raise click.ClickException(f"not parked: {', '.join(missing)}")

    @dead.command("list")
    @click.argument("consumer", required=False, type=consumers)
    def dead_list(consumer: str | None) -> None:
        """The parked messages (of CONSUMER, default all), the first parked first: consumer,
        id, type, source, routing key, reason, when parked (Amsterdam time), deliveries."""
        with broker() as (connection, found):
            for parked in dead_letters.parked(connection, found, consumer):
                when = amsterdam(parked.parked_at) if parked.parked_at else ""
                click.echo(
                    f"{parked.consumer}\t{parked.id}\t{parked.type or ''}\t{parked.source or ''}\t"
                    f"{parked.routing_key}\t{' '.join(parked.reason.split())}\t{when}\t"
                    f"{parked.deliveries or ''}"
                )

    @dead.command("show")
    @click.argument("message_id", metavar="ID")
    def dead_show(message_id: str) -> None:
        """The parked message ID in full: its headers, and its body (indented if JSON)."""
        with broker() as (connection, found):
            shown = [p for p in dead_letters.parked(connection, found) if p.id == message_id]
        all_found([message_id], shown)
        for parked in shown:
            click.echo(f"consumer: {parked.consumer}\nrouting key: {parked.routing_key}")
            for name, value in sorted(parked.headers.items()):
                click.echo(f"{name}: {value}")
            click.echo(f"\n{parked.pretty_body}\n")

    @dead.command("replay")
    @click.argument("ids", nargs=-1)
    @click.option("--all", "everything", is_flag=True, help="Every parked message.")
    def dead_replay(ids: tuple[str, ...], everything: bool) -> None:
        """Publish the parked messages IDS (or --all) again under their original routing key,
        once their cause is fixed; each leaves its dead queue when the broker confirmed it."""
        if not ids and not everything:
            raise click.UsageError("Name the messages' ids or give --all.")
        with broker() as (connection, found):
            replayed = dead_letters.replay(connection, found, None if everything else ids)
        for parked in replayed.left:
            click.echo(
                f"not replayed {parked.id}: no binding of {parked.consumer}'s queue takes "
                f"routing key {parked.routing_key!r}",
                err=True,
            )
        click.echo(f"{len(replayed.done)} message(s) replayed")
        all_found(ids, [*replayed.done, *replayed.left])

    @dead.command("drop")
    @click.argument("ids", nargs=-1, required=True)
    @click.confirmation_option(prompt="Drop these parked messages for good?")
    def dead_drop(ids: tuple[str, ...]) -> None:
        """Remove the parked messages IDS for good; asks first unless --yes."""
        with broker() as (connection, found):
            dropped = dead_letters.drop(connection, found, ids)
        click.echo(f"{len(dropped)} message(s) dropped")
        all_found(ids, dropped)

    return dead


main = build_cli()

if __name__ == "__main__":
    main()
