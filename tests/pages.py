"""Small builders for the Wagtail page tree in tests."""

from wagtail.models import Locale

from home.models import HomePage


def home_page():
    """The Polish home page that the migrations create."""
    return HomePage.objects.get(locale__language_code="pl", depth=2)


def translate(page, language_code, **fields):
    """Publish a translation of ``page``, as an editor would."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translation = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def accessibility_statement(**fields):
    """An unsaved accessibility statement with every field the law requires."""
    import datetime

    from home.models import AccessibilityStatementPage

    values = {
        "title": "Deklaracja dostępności",
        "slug": "deklaracja-dostepnosci",
        "entity": "Urząd",
        "website": "Platforma",
        "published_on": datetime.date(2026, 1, 1),
        "updated_on": datetime.date(2026, 2, 1),
        "compliance": "partial",
        "prepared_on": datetime.date(2026, 2, 1),
        "assessment": "Samoocena",
        "contact_person": "Jan Kowalski",
        "contact_email": "dostepnosc@example.org",
        "contact_phone": "12 000 00 00",
        "complaints_procedure": "<p>Procedura</p>",
        "architectural_accessibility": "<p>Budynek</p>",
        "mobile_apps": "<p>Brak</p>",
    }
    return AccessibilityStatementPage(**{**values, **fields})


def programme_tree(
    *, goals=1, directions=1, actions=1, indicators=1, parent=None, slug="program"
):
    """A published programme with ``goals`` goals, each with ``directions``
    directions of ``actions`` actions carrying ``indicators`` indicators and
    a two-entry status history; plus its monitoring page."""
    from home.models import (
        DirectionPage,
        MonitoringPage,
        ProgrammePage,
        StrategicGoalPage,
    )

    programme = publish(
        parent or home_page(),
        ProgrammePage(title="Program testowy", slug=slug, summary="<p>O programie</p>"),
    )
    tree = {"programme": programme, "goals": [], "directions": [], "actions": []}
    for g in range(1, goals + 1):
        goal = publish(
            programme,
            StrategicGoalPage(title=f"Cel {g}", slug=f"cel-{g}", number=str(g)),
        )
        tree["goals"].append(goal)
        for d in range(1, directions + 1):
            direction = publish(
                goal,
                DirectionPage(
                    title=f"Kierunek {g}.{d}", slug=f"kierunek-{d}", number=f"{g}.{d}"
                ),
            )
            tree["directions"].append(direction)
            tree["actions"] += [
                publish(direction, _action(f"{g}.{d}.{a}", a, indicators))
                for a in range(1, actions + 1)
            ]
    tree["monitoring"] = publish(
        programme, MonitoringPage(title="Monitoring", slug="monitoring")
    )
    return tree


def _action(number, position, indicators):
    """An action in progress with ``indicators`` indicators and a two-entry
    status history (not yet saved)."""
    import datetime

    from home.models import ActionIndicator, ActionPage, ActionStatusChange

    action = ActionPage(
        title=f"Działanie {number}",
        slug=f"dzialanie-{position}",
        number=number,
        responsible_body="Urząd testowy",
        start_year=2024,
        end_year=2026,
        status="in_progress",
    )
    action.indicators = [
        ActionIndicator(
            name=f"Wskaźnik {i}", unit="osoby", baseline=0, target=100, current_value=40
        )
        for i in range(1, indicators + 1)
    ]
    action.status_history = [
        ActionStatusChange(date=datetime.date(2024, 1, 15), status="planned"),
        ActionStatusChange(
            date=datetime.date(2024, 6, 1),
            status="in_progress",
            note="Rozpoczęto nabór",
        ),
    ]
    return action
