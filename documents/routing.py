"""WebSocket routes of the documents: a draft's live document."""

from django.urls import path

from documents.live.consumers import DraftLiveConsumer

websocket_urlpatterns = [
    path("ws/drafts/<int:draft_id>/", DraftLiveConsumer.as_asgi()),
]
