"""Registration for the 2012 GIA and Raad voor Raad meetings, up to the attendance list."""

from shared.manifest import Job, Manifest

MANIFEST = Manifest(
    name="registration",
    package=__name__,
    port=5001,
    title="GIA registration",
    app="services.registration.app:create_app",
    api="services.registration.api:api",
    pages="services.registration.pages:pages",
    outbox="services.registration.models:Outbox",
    mail="services.registration.notices:mail_worker",
    jobs=(
        Job(
            command=("remind",),
            run="services.registration.operations:remind",
            every=900,
            told="{} reminder(s) queued",
            help="Queue a reminder for everyone with a seat at a meeting in the coming day.",
        ),
    ),
    seed="services.registration.operations:seed_examples",
)
