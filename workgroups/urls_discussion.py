from django.urls import path

from workgroups.discussion import views

app_name = "discussion"

urlpatterns = [
    path("", views.room_list, name="rooms"),
    path("search/", views.search, name="search"),
    path("mentions/", views.mentions, name="mentions"),
    path("<int:group_id>/", views.room, name="room"),
    path("<int:group_id>/topics/<int:topic_id>/", views.topic, name="topic"),
    path(
        "<int:group_id>/topics/<int:topic_id>/manage/",
        views.topic_manage,
        name="topic_manage",
    ),
    path(
        "<int:group_id>/topics/<int:topic_id>/history/",
        views.history,
        name="history",
    ),
    path(
        "<int:group_id>/messages/<int:message_id>/edit/",
        views.message_edit,
        name="message_edit",
    ),
    path(
        "<int:group_id>/messages/<int:message_id>/delete/",
        views.message_delete,
        name="message_delete",
    ),
    path(
        "<int:group_id>/messages/<int:message_id>/hide/",
        views.message_hide,
        name="message_hide",
    ),
]
