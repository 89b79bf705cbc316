"""The public and account forms as the hostile-input test posts them
(tests/test_hostile_input.py): allauth's as the site configures them, the
privacy pages, the e-mail subscription, search."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from hypothesis import strategies as st

from django.contrib.auth import get_user_model

from tests.factories import DEFAULT_PASSWORD, sign_in
from tests.hostile import (
    Endpoint,
)

passwords = st.one_of(
    st.just(DEFAULT_PASSWORD), st.text(min_size=1, max_size=30), st.just("a" * 5000)
)
names = st.text(min_size=1, max_size=40)
emails = st.one_of(st.emails().map(str), st.just("person0@example.org"))


def password_state(world):
    return list(get_user_model().objects.values_list("pk", "password", "email"))


def _reauthenticate(user, *, second_factor=False):
    """Signed in (with the second factor, for an administrator acting on
    someone else's account) and the password just confirmed again."""

    def prepare(client, world):
        sign_in(client, world.users[user], second_factor=second_factor)
        client.post("/pl/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})

    return prepare


def _invited(client, world):
    client.post(f"/pl/workspace/invitations/{world.invitation_token}/")


def _reset_key(client, world):
    user = world.users["expert"]
    key = default_token_generator.make_token(user)
    response = client.get(
        f"/pl/accounts/password/reset/key/{user_pk_to_url_str(user)}-{key}/"
    )
    world.reset_url = response["Location"]


ENDPOINTS = {
    "login": Endpoint(
        lambda world: "/pl/accounts/login/",
        lambda world: {"login": emails, "password": passwords},
        user=None,
        state=password_state,
    ),
    "password_reset": Endpoint(
        lambda world: "/pl/accounts/password/reset/",
        lambda world: {"email": emails},
        user=None,
        feedback=False,  # the next page says that a link is on its way
    ),
    "password_reset_from_key": Endpoint(
        lambda world: world.reset_url,
        lambda world: {"password1": passwords, "password2": passwords},
        user=None,
        prepare=_reset_key,
        state=password_state,
    ),
    "signup_by_invitation": Endpoint(
        lambda world: "/pl/accounts/signup/",
        lambda world: {
            "email": st.just("nowa@example.org") | emails,
            "password1": passwords,
            "password2": passwords,
            "first_name": names,
            "last_name": names,
        },
        user=None,
        prepare=_invited,
    ),
    "account_profile": Endpoint(
        lambda world: "/pl/accounts/profile/",
        lambda world: {
            "first_name": names,
            "last_name": names,
            "language": st.sampled_from(["", "pl", "uk", "en"]),
        },
    ),
    "password_change": Endpoint(
        lambda world: "/pl/accounts/password/change/",
        lambda world: {
            "oldpassword": passwords,
            "password1": passwords,
            "password2": passwords,
        },
        state=password_state,
    ),
    "email": Endpoint(
        lambda world: "/pl/accounts/email/",
        lambda world: {"email": emails, "action_add": st.just("")},
        state=password_state,
        # Adding one's own address again goes back to the list silently.
        feedback=False,
    ),
    "reauthenticate": Endpoint(
        lambda world: "/pl/accounts/reauthenticate/",
        lambda world: {"password": passwords},
        feedback=False,  # goes on to where the person was going
    ),
    "erase_by_administrator": Endpoint(
        lambda world: f"/pl/privacy/people/{world.users['expert'].pk}/delete/",
        lambda world: {"confirm": st.sampled_from(["on", ""])},
        user="admin",
        prepare=_reauthenticate("admin", second_factor=True),
        state=password_state,
    ),
    "subscribe": Endpoint(
        lambda world: "/pl/subskrypcja/",
        lambda world: {
            "email": emails,
            "language": st.sampled_from(["pl", "uk", "en"]),
            "topics": st.sampled_from(["programme_updates", "recommendations"]),
        },
        user=None,
    ),
    "unsubscribe": Endpoint(
        lambda world: "/pl/subskrypcja/wypisz/nie-ma-takiego/",
        lambda world: {"List-Unsubscribe": st.just("One-Click")},
        user=None,
        feedback=False,  # the same page whether or not the link was known
    ),
    "search": Endpoint(
        lambda world: "/pl/szukaj/",
        lambda world: {"q": st.text(max_size=30), "page": st.integers().map(str)},
        method="get",
        user=None,
    ),
}
