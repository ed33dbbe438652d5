"""Live indicators against the 2012 targets, fed by the other services' events."""

from shared.manifest import Job, Manifest

MANIFEST = Manifest(
    name="indicators",
    package=__name__,
    port=5004,
    title="GIA indicators",
    app="services.indicators.app:create_app",
    api="services.indicators.api:api",
    pages="services.indicators.pages:pages",
    mail="services.indicators.notices:mail_worker",
    consumer="services.indicators.consumer:build_consumer",
    consumes=("nl.gia.#",),
    jobs=(
        Job(
            command=("indicators", "erase-addresses"),
            run="services.indicators.operations:erase_addresses",
            every=3600,
            told="{} address(es) erased",
            help="Erase invitation addresses of municipalities that answered or of a past "
            "programme year.",
        ),
    ),
    commands="services.indicators.commands:indicators",
    dead_letters=True,
)
