"""ASGI entry point: HTTP to Django, WebSockets through the same-origin check
(``platforma/origin.py``) and session authentication to the apps' ``/ws/`` routes."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platforma.settings.production")

# Django must be set up before the routing (and so the models) is imported.
django_asgi_app = get_asgi_application()

# Search dictionaries load in the background while the server starts.
from home.lemmas import preload_in_background  # noqa: E402

preload_in_background()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from platforma.origin import SameOriginValidator  # noqa: E402
from platforma.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# What start-up made (models, templates, URL patterns: about 250,000 objects)
# lives as long as the process; a full collection walking it stalled every
# socket of the worker for about 100 ms. Frozen, collections leave it out.
gc.freeze()
