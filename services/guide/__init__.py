"""The 2012 GIA guides: staff publish guides, their editions and toolbox items; officials
download them after naming their municipality, which the indicators count as knowing the
new guide."""

from shared.manifest import Job, Manifest

MANIFEST = Manifest(
    name="guide",
    package=__name__,
    port=5005,
    title="GIA guides",
    app="services.guide.app:create_app",
    api="services.guide.api:api",
    pages="services.guide.pages:pages",
    outbox="services.guide.models:Outbox",
    mail="services.guide.notices:mail_worker",
    jobs=(
        Job(
            command=("erase", "guide"),
            run="services.guide.operations:erase",
            every=3600,
            told="{} e-mail address(es) erased",
            help="Erase the e-mail addresses downloaders left, once the notice of a new "
            "edition went or GIA_GUIDE_RETENTION_DAYS after the download.",
        ),
    ),
    seed="services.guide.operations:seed_example",
)
