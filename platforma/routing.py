"""WebSocket routes of every app, all under ``/ws/``."""

from workgroups.routing import websocket_urlpatterns as workgroups_websockets

websocket_urlpatterns = [*workgroups_websockets]
