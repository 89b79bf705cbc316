"""WSGI entry point: the HTTP side of the production topology (gunicorn)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platforma.settings.production")

application = get_wsgi_application()

# Search dictionaries load in the background while the server starts.
from home.lemmas import preload_in_background  # noqa: E402

preload_in_background()

# As in platforma/asgi.py: a full collection walking what start-up made
# (about 270,000 objects) took about 110 ms of some request; frozen, the
# collections leave it out.
gc.freeze()
