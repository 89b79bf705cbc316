"""Demo content of the public site and the demo accounts.

Every step looks before it writes, so that running ``load_demo`` twice changes
nothing. Texts about the programme come from its public summary
(``shared/reference``); the people are invented.
"""

import os

from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Locale, Page, Site

from home import demo_programme
from home.models import HomePage, InfoPoint

DEFAULT_DEMO_PASSWORD = "demo-platforma"  # noqa: S105 - documented demo password

# (e-mail, first name, last name, role) — the working groups issue gives the
# chair and the experts their groups.
DEMO_ACCOUNTS = [
    ("admin@example.org", "Adam", "Administrator", "superuser"),
    ("redakcja@example.org", "Renata", "Redaktorska", "editor"),
    ("przewodniczaca@example.org", "Anna", "Przewodnicząca", "member"),
    ("ekspert@example.org", "Piotr", "Ekspert", "member"),
    ("ekspertka@example.org", "Olena", "Ekspertka", "member"),
]

HOME_CONTENT = {
    "pl": (
        "Platforma współpracy",
        "<p>Program integracji imigrantów w województwie małopolskim "
        "„Małopolska otwarta” ma charakter kierunkowy i zawiera szereg "
        "rekomendacji służących temu, aby Małopolska była regionem jeszcze "
        "bardziej przyjaznym do życia i pracy dla osób pochodzących z różnych "
        "kultur.</p><p>Na Platformie współpracy zespoły ekspertów pracują w "
        "najważniejszych dla procesu integracji obszarach.</p>",
    ),
    "uk": (
        "Платформа співпраці",
        "<p>Програма інтеграції іммігрантів у Малопольському воєводстві "
        "«Відкрита Малопольща» має спрямовувальний характер і містить низку "
        "рекомендацій, щоб Малопольща стала ще дружнішим регіоном для життя й "
        "роботи людей з різних культур.</p><p>На Платформі співпраці групи "
        "експертів працюють у найважливіших для інтеграції сферах.</p>",
    ),
    "en": (
        "Cooperation Platform",
        "<p>The integration programme for immigrants in the Małopolska region, "
        "“Małopolska otwarta” (Open Małopolska), sets directions and contains "
        "recommendations to make Małopolska an even friendlier region to live "
        "and work in for people from different cultures.</p><p>On the "
        "Cooperation Platform, teams of experts work in the areas that matter "
        "most for integration.</p>",
    ),
}


# The five information and advice points and the hotline, as the programme's
# public summary lists them (addresses only: it gives no hours or phones).
INFO_POINTS = [
    (
        "Punkt informacyjno-doradczy Kraków – Przy Rondzie",
        "Kraków",
        "ul. Przy Rondzie 6",
    ),
    ("Punkt informacyjno-doradczy Kraków – Basztowa", "Kraków", "ul. Basztowa 22"),
    (
        "Punkt informacyjno-doradczy Kraków – Chłopickiego",
        "Kraków",
        "ul. Chłopickiego 4",
    ),
    ("Punkt informacyjno-doradczy Tarnów", "Tarnów", "Al. Solidarności 5-9"),
    (
        "Punkt informacyjno-doradczy Nowy Sącz (Wydział Spraw Cudzoziemców "
        "oraz Wydział Polityki Społecznej)",
        "Nowy Sącz",
        "ul. Jagiellońska 52",
    ),
]
HOTLINE = "Infolinia i Informacja INFO.OPT"
INFO_POINT_NAMES = {
    "uk": ("Пункт інформації та консультацій", "Гаряча лінія та інформація INFO.OPT"),
    "en": ("Information and advice point", "INFO.OPT hotline and information"),
}


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def _ensure_locales():
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in HOME_CONTENT
    }


def _publish_if_changed(page, title, intro):
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
            instance=HomePage(title=HOME_CONTENT["pl"][0], slug="home")
        )
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": polish},
        )
    _publish_if_changed(polish, *HOME_CONTENT["pl"])
    for code, locale in locales.items():
        if code == "pl":
            continue
        translation = polish.get_translation_or_none(locale)
        if translation is None:
            translation = polish.copy_for_translation(locale)
        _publish_if_changed(translation.specific, *HOME_CONTENT[code])


def _ensure_info_points(locale):
    for order, (name, city, address) in enumerate(INFO_POINTS, start=1):
        InfoPoint.objects.get_or_create(
            locale=locale,
            name=name,
            defaults={"city": city, "address": address, "sort_order": order},
        )
    InfoPoint.objects.get_or_create(
        locale=locale,
        name=HOTLINE,
        defaults={"kind": InfoPoint.Kind.HOTLINE, "sort_order": len(INFO_POINTS) + 1},
    )


def _ensure_info_point_translations(locales):
    """Each info point in Ukrainian and English: the same place, its name
    translated (street names stay as they are written)."""
    prefix = "Punkt informacyjno-doradczy "
    for point in InfoPoint.objects.filter(locale=locales["pl"]):
        for code, (point_name, hotline_name) in INFO_POINT_NAMES.items():
            if point.has_translation(locales[code]):
                continue
            translation = point.copy_for_translation(locales[code])
            if point.kind == InfoPoint.Kind.HOTLINE:
                translation.name = hotline_name
            else:
                translation.name = f"{point_name} {point.name.removeprefix(prefix)}"
            translation.save()


def ensure_account(email, first_name, last_name, role, password):
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
    _ensure_info_points(locales["pl"])
    _ensure_info_point_translations(locales)
    demo_programme.load(locales=locales, stdout=stdout)
    password = demo_password()
    for email, first_name, last_name, role in DEMO_ACCOUNTS:
        ensure_account(email, first_name, last_name, role, password)
    stdout.write(f"Demo accounts (password: {password}):")
    for email, first_name, last_name, role in DEMO_ACCOUNTS:
        stdout.write(f"  {email:30} {first_name} {last_name} ({role})")
