"""The WSGI app gunicorn serves: the one of the service named in ``GIA_SERVICE``."""

import os

from gia.registry import manifest, topology
from shared.manifest import resolve
from shared.settings import load_settings

service = manifest(os.environ["GIA_SERVICE"])
# Its broker user: readiness connects to the broker as the service's own processes do.
settings = load_settings().for_service(service.name)
app = resolve(service.app)(settings)
# Every consumer's queues, which only this root knows (the page of parked messages reads them).
app.extensions["gia"].topology = topology(settings)
