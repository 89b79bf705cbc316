"""WebSocket routes of the working groups (the live discussion adds its
consumers here)."""

websocket_urlpatterns: list = []
