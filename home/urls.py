from django.urls import path

from home import subscription_views, views
from home.feeds import ProgrammeUpdatesAtomFeed, ProgrammeUpdatesFeed

app_name = "home"

urlpatterns = [
    path("accounts/profile/", views.account, name="account"),
    path("szukaj/", views.search, name="search"),
    path("feeds/programme.rss", ProgrammeUpdatesFeed(), name="feed_rss"),
    path("feeds/programme.atom", ProgrammeUpdatesAtomFeed(), name="feed_atom"),
    path("subskrypcja/", subscription_views.subscribe, name="subscribe"),
    path(
        "subskrypcja/potwierdz/<str:token>/",
        subscription_views.confirm,
        name="subscription_confirm",
    ),
    path(
        "subskrypcja/wypisz/<str:token>/",
        subscription_views.unsubscribe,
        name="unsubscribe",
    ),
]
