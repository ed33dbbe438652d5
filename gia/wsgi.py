"""The WSGI app gunicorn serves: the one of the service named in ``GIA_SERVICE``."""

import os

from gia.registry import manifest
from shared.manifest import resolve
from shared.settings import load_settings

app = resolve(manifest(os.environ["GIA_SERVICE"]).app)(load_settings())
