from django.urls import path

from documents import discussion, editing, views
from documents.live import views as live

app_name = "documents"

urlpatterns = [
    path("groups/<int:group_id>/", views.group_drafts, name="group_drafts"),
    path("agenda/<int:item_id>/", views.agenda_link, name="agenda_link"),
    path("<int:pk>/", views.draft_detail, name="detail"),
    path("<int:pk>/edit/", editing.draft_edit, name="edit"),
    path("<int:pk>/edit/live/", live.draft_live_save, name="live_save"),
    path(
        "<int:pk>/suggestions/decide/",
        live.suggestion_decide,
        name="suggestion_decide",
    ),
    path("<int:pk>/edit/details/", editing.draft_details, name="details"),
    path("<int:pk>/discussion/", discussion.draft_discussion, name="discussion"),
    path("<int:pk>/versions/", views.draft_versions, name="versions"),
    path("<int:pk>/presence/", views.draft_presence, name="presence"),
    path("<int:pk>/print/", views.draft_print, name="print"),
    path("<int:pk>/export.docx", views.draft_export_docx, name="export_docx"),
    path("<int:pk>/compare/", views.draft_compare, name="compare"),
    path(
        "<int:pk>/versions/<int:number>/restore/",
        views.draft_restore,
        name="restore",
    ),
    path("<int:pk>/review/<slug:step>/", views.draft_review, name="review"),
    path("<int:pk>/comments/", views.comment_create, name="comment"),
    path(
        "<int:pk>/comments/<int:comment_id>/resolve/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path("<int:pk>/attachments/", views.attachment_create, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
]
