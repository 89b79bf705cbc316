"""Demo content of the public site and the demo accounts (data:
``site.json``; the programme: ``programme.py``).

Every step looks before it writes, so that running ``load_demo`` twice changes
nothing. Texts about the programme come from its public summary
(``shared/reference``); the people are invented."""

import os
from collections import namedtuple

from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Locale, Page, Site

from home.demo import programme
from home.demo.data import LANGUAGES, paragraphs, read
from home.models import HomePage, InfoPoint
from home.urls_absolute import site_address

DEFAULT_DEMO_PASSWORD = "demo-platforma"  # noqa: S105 - documented demo password

DATA = read(__package__, "site.json")
Account = namedtuple("Account", "email first_name last_name role")
# The working groups' demo gives the chair and the experts their groups.
DEMO_ACCOUNTS = [Account(**account) for account in DATA["accounts"]]


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def _ensure_locales():
    return {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES
    }


def _publish_if_changed(page, code):
    title = DATA["home"]["title"][code]
    intro = paragraphs(DATA["home"]["intro"][code])
    if page.live and page.title == title and page.intro == intro:
        return
    page.title, page.draft_title, page.intro = title, title, intro
    page.save_revision().publish()


def _ensure_home_pages(locales):
    """The Polish home page is the default site's root; its translations are
    created from it, as an editor would in the admin."""
    polish = HomePage.objects.filter(locale=locales["pl"], depth=2).first()
    if polish is None:
        root = Page.get_first_root_node()
        polish = root.add_child(
            instance=HomePage(title=DATA["home"]["title"]["pl"], slug="home")
        )
        Site.objects.update_or_create(
            is_default_site=True, defaults={"root_page": polish}
        )
    _publish_if_changed(polish, "pl")
    for code, locale in locales.items():
        if code == "pl":
            continue
        translation = polish.get_translation_or_none(locale)
        if translation is None:
            translation = polish.copy_for_translation(locale)
        _publish_if_changed(translation.specific, code)


def _ensure_site_address():
    """The default site's host and port are those of ``BASE_URL``, so that
    Wagtail's own page links (``Page.full_url``) agree with the rest."""
    hostname, port = site_address()
    Site.objects.filter(is_default_site=True).exclude(
        hostname=hostname, port=port
    ).update(hostname=hostname, port=port)


def _info_point_name(place, code):
    return f"{DATA['info_point'][code]} {place}"


def _ensure_info_points(locale):
    """The information and advice points and the hotline, as the programme's
    public summary lists them (addresses only: it gives no hours or phones)."""
    for order, point in enumerate(DATA["info_points"], start=1):
        InfoPoint.objects.get_or_create(
            locale=locale,
            name=_info_point_name(point["place"], "pl"),
            defaults={
                "city": point["city"],
                "address": point["address"],
                "sort_order": order,
            },
        )
    InfoPoint.objects.get_or_create(
        locale=locale,
        name=DATA["hotline"]["pl"],
        defaults={
            "kind": InfoPoint.Kind.HOTLINE,
            "sort_order": len(DATA["info_points"]) + 1,
        },
    )


def _ensure_info_point_translations(locales):
    """Each info point in Ukrainian and English: the same place, its name
    translated (street names stay as they are written)."""
    prefix = _info_point_name("", "pl")
    for point in InfoPoint.objects.filter(locale=locales["pl"]):
        for code in LANGUAGES[1:]:
            if point.has_translation(locales[code]):
                continue
            translation = point.copy_for_translation(locales[code])
            if point.kind == InfoPoint.Kind.HOTLINE:
                translation.name = DATA["hotline"][code]
            else:
                place = point.name.removeprefix(prefix)
                translation.name = _info_point_name(place, code)
            translation.save()


def ensure_account(email, first_name, last_name, role, password):
    """The demo account of ``email`` as given, whatever an earlier run or a
    person changed; ``role`` is ``superuser``, ``editor`` or ``member``."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model(username=email.split("@")[0], email=email)
    changed = user.pk is None
    for field, value in {
        "first_name": first_name,
        "last_name": last_name,
        "is_superuser": role == "superuser",
        "is_staff": role == "superuser",
        "is_active": True,
    }.items():
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    return user


@transaction.atomic
def load(*, stdout):
    locales = _ensure_locales()
    _ensure_home_pages(locales)
    _ensure_site_address()
    _ensure_info_points(locales["pl"])
    _ensure_info_point_translations(locales)
    programme.load(locales=locales, stdout=stdout)
    password = demo_password()
    for account in DEMO_ACCOUNTS:
        ensure_account(*account, password)
    stdout.write(f"Demo accounts (password: {password}):")
    for email, first_name, last_name, role in DEMO_ACCOUNTS:
        stdout.write(f"  {email:30} {first_name} {last_name} ({role})")
