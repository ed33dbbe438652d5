"""Praktijkteam support requests from municipalities: intake, triage, planning and follow-up."""

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
