from django.urls import path

from home import privacy_views

app_name = "privacy"

urlpatterns = [
    path("", privacy_views.privacy_notice, name="notice"),
    path("my-data/", privacy_views.personal_data, name="personal_data"),
    path("my-data/download/", privacy_views.personal_data_download, name="download"),
    path("my-data/delete/", privacy_views.account_erase, name="erase"),
    path("people/<int:user_id>/", privacy_views.personal_data, name="person_data"),
    path(
        "people/<int:user_id>/download/",
        privacy_views.personal_data_download,
        name="person_download",
    ),
    path(
        "people/<int:user_id>/delete/",
        privacy_views.account_erase,
        name="person_erase",
    ),
]
