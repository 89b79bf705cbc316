"""factory_boy factories for plain models; pages are built with helpers in
``tests/pages.py``."""

import factory
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can sign in: active, with a verified primary e-mail."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Testowa{n}")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified_email(user, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=user,
                email=user.email,
                verified=extracted is not False,
                primary=True,
            )


def editor(**kwargs):
    """A member of Wagtail's "Editors" group: the programme's editorial team."""
    from django.contrib.auth.models import Group

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(client, user, *, second_factor=False):
    """``client`` signed in as ``user``; with ``second_factor``, as allauth
    leaves a session that was signed in with a password and a TOTP code."""
    import time

    client.force_login(user)
    if second_factor:
        session = client.session
        now = time.time()
        session["account_authentication_methods"] = [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "type": "totp", "id": 1},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client
