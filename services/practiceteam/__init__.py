"""Praktijkteam support requests from municipalities: intake, triage, planning and follow-up."""

from shared.events.catalogue import SIGNAL_ANSWERED
from shared.manifest import Job, Manifest

MANIFEST = Manifest(
    name="practiceteam",
    package=__name__,
    port=5002,
    title="GIA praktijkteam",
    app="services.practiceteam.app:create_app",
    api="services.practiceteam.api:api",
    pages="services.practiceteam.pages:pages",
    outbox="services.practiceteam.models:Outbox",
    mail="services.practiceteam.notices:mail_worker",
    # Signals answered at meetings, shown on the public page beside the praktijkteams' own.
    consumer="services.practiceteam.consumer:build_consumer",
    consumes=(SIGNAL_ANSWERED,),
    jobs=(
        Job(
            command=("erase", "practiceteam"),
            run="services.practiceteam.operations:erase",
            every=3600,
            told="{} request(s) erased",
            help="Erase the personal data of requests whose retention period is over "
            "(GIA_PRACTICETEAM_RETENTION_DAYS after they became final).",
        ),
    ),
)
