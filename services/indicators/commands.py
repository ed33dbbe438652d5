"""``gia indicators``: rebuild the figures from the stored events and verify them."""

from __future__ import annotations

import sys

import click

from services.indicators import MANIFEST
from services.indicators.rebuild import count_events, rebuild, verify
from shared.db import Database
from shared.events.trust import Trust
from shared.migrations import upgrade_database
from shared.municipalities import load_register
from shared.settings import load_settings


@click.group("indicators")
def indicators() -> None:
    """The indicators: rebuilt from every event received, and checked against that."""


@indicators.command("rebuild")
def rebuild_command() -> None:
    """Recompute evidence, coverage and figures from the stored events."""
    settings = load_settings()
    upgrade_database(settings, MANIFEST.name, MANIFEST.migrations)
    db = Database.for_service(settings, "indicators")
    try:
        total = count_events(db)
        with click.progressbar(length=total, label="events", show_pos=True) as bar:
            rebuild(db, Trust(settings, load_register(settings.municipalities_file)), bar.update)
    finally:
        db.dispose()
    click.echo(f"rebuilt from {total} events")


@indicators.command("verify")
def verify_command() -> None:
    """Compare the live figures with a fold of every stored event; exit 1 on any difference."""
    settings = load_settings()
    db = Database.for_service(settings, "indicators")
    try:
        differences = verify(db, Trust(settings, load_register(settings.municipalities_file)))
    finally:
        db.dispose()
    for line in differences[:50]:
        click.echo(line)
    if differences:
        click.echo(
            f"{len(differences)} difference(s); `gia indicators rebuild` repairs them", err=True
        )
        sys.exit(1)
    click.echo("no differences")
