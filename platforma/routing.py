"""WebSocket routes of every app, all under ``/ws/``."""

from documents.routing import websocket_urlpatterns as documents_websockets
from workgroups.routing import websocket_urlpatterns as workgroups_websockets

websocket_urlpatterns = [*workgroups_websockets, *documents_websockets]
