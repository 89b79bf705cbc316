"""People as the site shows them: one way to name a person, and the person's
own name and language, which they edit on their account page.

The preferred language is Wagtail's ``UserProfile.preferred_language``: the
admin already reads it, so the site and the admin speak the same language."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.users.models import UserProfile


def person_name(user) -> str:
    """The name every page, list, message and e-mail shows for ``user``: the
    full name, else the account's user name (never the e-mail address, which
    some of these places show to the public). ``None`` is an erased account,
    whose writings stay without a name."""
    if user is None:
        return _("former member")
    return user.get_full_name() or user.get_username()


def preferred_language(user) -> str:
    """The language the person chose, or '' when they have not chosen."""
    profile = UserProfile.objects.filter(user=user).first()
    return profile.preferred_language if profile else ""


def language_of(user) -> str:
    """The language to write to ``user`` in (see ``languages_of``)."""
    return languages_of([user.pk])[user.pk]


def languages_of(user_ids, default=None) -> dict:
    """``{user id: language}`` in one query: each person's chosen language,
    else ``default`` (the site's language): what e-mails are written in."""
    default = default or settings.LANGUAGE_CODE
    chosen = dict(
        UserProfile.objects.filter(user_id__in=list(user_ids))
        .exclude(preferred_language="")
        .values_list("user_id", "preferred_language")
    )
    ours = dict(settings.LANGUAGES)
    return {pk: chosen[pk] if chosen.get(pk) in ours else default for pk in user_ids}


@transaction.atomic
def account_profile_update(
    *, actor, user, first_name: str, last_name: str, language: str
) -> None:
    """The person's own name and preferred language (``''``: none chosen)."""
    if not actor.is_active or actor.pk != user.pk:
        raise PermissionDenied
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name"])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])
