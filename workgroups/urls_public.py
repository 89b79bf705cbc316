"""The working groups' public profiles (mounted under ``/<lang>/zespoly/``)."""

from django.urls import path

from workgroups.views import public

app_name = "groups"

urlpatterns = [
    path("", public.group_list, name="list"),
    path("<slug:slug>/", public.group_profile, name="profile"),
]
