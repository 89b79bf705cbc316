from django.urls import path

from home import views
from home.feeds import ProgrammeUpdatesAtomFeed, ProgrammeUpdatesFeed

app_name = "home"

urlpatterns = [
    path("accounts/profile/", views.account, name="account"),
    path("szukaj/", views.search, name="search"),
    path("feeds/programme.rss", ProgrammeUpdatesFeed(), name="feed_rss"),
    path("feeds/programme.atom", ProgrammeUpdatesAtomFeed(), name="feed_atom"),
]
