"""The Raad voor Raad essay contest for council members: essays, anonymised jury scores."""

from shared.manifest import Manifest

MANIFEST = Manifest(
    name="essay_contest",
    package=__name__,
    port=5003,
    title="GIA Raad voor Raad essay contest",
    app="services.essay_contest.app:create_app",
    api="services.essay_contest.api:api",
    pages="services.essay_contest.pages:pages",
    outbox="services.essay_contest.models:Outbox",
    mail="services.essay_contest.notices:mail_worker",
    seed="services.essay_contest.operations:seed_example",
)
