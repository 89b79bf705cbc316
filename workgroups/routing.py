"""WebSocket routes of the working groups."""

from django.urls import path

from workgroups.discussion.consumers import DiscussionConsumer

websocket_urlpatterns = [
    path("ws/groups/<int:group_id>/", DiscussionConsumer.as_asgi()),
]
