"""Demo content of the public programme (data: ``programme.json``): the
programme page (facts from the reference summary), a diagnosis, 3 goals,
8 directions, 25 actions with indicators and status histories, monitoring,
help and the accessibility statement, in Polish with Ukrainian and English
translations.

Everything not taken from the reference summary is marked as demonstration
text ("tekst demonstracyjny"). The Polish pages are built first, then each
is copied into the other languages with its translated fields, as an editor
does with Wagtail's translation."""

import datetime
from decimal import Decimal

from wagtail.fields import RichTextField, StreamField

from home.demo.data import LANGUAGES, in_language, is_translated, paragraphs, read
from home.models import (
    AccessibilityStatementPage,
    ActionIndicator,
    ActionPage,
    ActionStatus,
    ActionStatusChange,
    DiagnosisPage,
    DirectionPage,
    HelpPage,
    HomePage,
    MonitoringPage,
    ProgrammePage,
    StrategicGoalPage,
)

DATA = read(__package__, "programme.json")
ACTION_DETAILS = DATA["action_details"]


def load(*, locales, stdout):
    """Builds the programme once: if the Polish programme page exists, the
    demo programme is there (an editor may have changed it since)."""
    home = HomePage.objects.get(locale=locales["pl"], depth=2)
    if ProgrammePage.objects.filter(locale=locales["pl"]).exists():
        return
    pages = list(_polish_pages(home))
    for code in LANGUAGES[1:]:
        for page, fields in pages:
            translation = _translation(page, fields, code, locales[code])
            if isinstance(translation, ActionPage):
                _translate_indicators(translation, code)
            translation.save_revision().publish()
    stdout.write(f"Demo programme: {len(pages)} pages in {len(LANGUAGES)} languages.")


def _polish_pages(home):
    """``(page, fields)`` of every page, built in Polish and published."""
    programme, fields = _added(home, ProgrammePage, DATA["programme"])
    yield programme, fields
    yield _added(programme, DiagnosisPage, _diagnosis_fields())
    yield from _goal_pages(programme)
    yield _added(programme, MonitoringPage, DATA["monitoring"])
    yield _added(home, HelpPage, DATA["help"])
    yield _added(home, AccessibilityStatementPage, DATA["accessibility_statement"])


def _goal_pages(programme):
    """The goals, their directions and the directions' actions, numbered as
    in the programme (goal 2, direction 2.2, action 2.2.3)."""
    index = 0
    for goal in DATA["goals"]:
        goal_page, fields = _added(
            programme, StrategicGoalPage, _numbered(goal, "cel", "goal_summary")
        )
        yield goal_page, fields
        for direction in goal["directions"]:
            direction_page, fields = _added(
                goal_page,
                DirectionPage,
                _numbered(direction, "kierunek", "direction_summary"),
            )
            yield direction_page, fields
            for position, action in enumerate(direction["actions"], start=1):
                index += 1
                fields = _action_fields(direction, position, action, index)
                yield _add(direction_page, _action(fields, index)), fields


def _numbered(entry, slug_prefix, summary):
    number = entry["number"]
    return {
        "title": entry["title"],
        "slug": f"{slug_prefix}-{number.replace('.', '-')}",
        "number": number,
        "summary": DATA[summary],
    }


def _page(model, fields):
    """An unsaved page of ``model`` with ``fields`` in Polish."""
    return model(
        **{name: _value(model, name, value, "pl") for name, value in fields.items()}
    )


def _value(model, name, value, code):
    """The value of field ``name`` in language ``code`` as the model holds
    it: rich text from its paragraphs, dates and amounts from their text."""
    value = in_language(value, code)
    field = model._meta.get_field(name)
    if isinstance(field, RichTextField):
        return paragraphs(value)
    if isinstance(field, StreamField):
        return value
    return field.to_python(value)


def _add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _added(parent, model, fields):
    return _add(parent, _page(model, fields)), fields


def _translation(page, fields, code, locale):
    """The page's translation into ``code``: an existing one as it is, or a
    copy with the translated fields."""
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation.specific
    translation = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        if is_translated(value):
            setattr(translation, name, _value(type(page), name, value, code))
    translation.save()
    return translation


def _diagnosis_fields():
    body = {code: _diagnosis_body(code) for code in LANGUAGES}
    return {**DATA["diagnosis"], "body": body}


def _diagnosis_body(code):
    body = DATA["diagnosis"]["body"]
    source = body["source"][code]
    table = body["budget_table"]
    rows = [[row["item"][code], row["amount"]] for row in table["rows"]]
    return [
        ("heading", {"text": body["heading"][code], "level": "h2"}),
        ("paragraph", paragraphs([body["text"][code]])),
        *[
            (
                "statistic",
                {
                    "value": stat["value"],
                    "label": stat["label"][code],
                    "source": source,
                },
            )
            for stat in body["statistics"]
        ],
        (
            "table",
            {
                "caption": table["caption"][code],
                "table": {
                    "data": [table["header"][code], *rows],
                    "first_row_is_table_header": True,
                },
            },
        ),
    ]


def _action_fields(direction, position, action, index):
    """An action's fields; who carries it out, its years, money and status
    rotate with its place in the programme (demonstration values)."""
    number = f"{direction['number']}.{position}"
    title = action["title"]
    summary = {
        code: [
            DATA["action_summary"][code].format(
                title=title[code], direction=direction["title"][code]
            )
        ]
        for code in LANGUAGES
    }
    details = ACTION_DETAILS
    bodies, statuses = details["responsible_bodies"], details["status_cycle"]
    return {
        "title": title,
        "slug": f"dzialanie-{number.replace('.', '-')}",
        "number": number,
        "summary": summary,
        "responsible_body": bodies[index % len(bodies)],
        "partners": details["partners"],
        "start_year": 2024,
        "end_year": 2024 + index % 3 + 1,
        "budget_line": details["budget_line"] if index % 2 else "",
        "status": statuses[index % len(statuses)],
    }


def _action(fields, index):
    """An unsaved action with its indicators and status history."""
    action = _page(ActionPage, fields)
    people, meetings = ACTION_DETAILS["indicators"]
    target = 50 + index * 10
    action.indicators = _numbered_rows(
        [
            _indicator(people, target, target * (index % 5) // 4),
            _indicator(meetings, 4 + index % 4, index % 4),
        ]
    )
    action.status_history = _numbered_rows(_status_history(action.status, index))
    return action


def _numbered_rows(rows):
    """Rows with their positions, so that the admin shows and saves them in
    this order."""
    for position, row in enumerate(rows):
        row.sort_order = position
    return rows


def _indicator(indicator, target, current_value):
    return ActionIndicator(
        name=indicator["name"]["pl"],
        unit=indicator["unit"]["pl"],
        baseline=Decimal(0),
        target=Decimal(target),
        current_value=Decimal(current_value),
    )


def _status_history(status, index):
    history = [
        ActionStatusChange(
            date=datetime.date(2024, 1, 15), status=ActionStatus.PLANNED, note=""
        )
    ]
    if status != ActionStatus.PLANNED:
        history.append(
            ActionStatusChange(
                date=datetime.date(2024, 3 + index % 6, 1),
                status=ActionStatus.IN_PROGRESS,
            )
        )
    if status in (ActionStatus.DONE, ActionStatus.SUSPENDED):
        history.append(
            ActionStatusChange(date=datetime.date(2025, 6, 30), status=status)
        )
    return history


def _translate_indicators(action, code):
    for indicator, data in zip(
        action.indicators.all(), ACTION_DETAILS["indicators"], strict=False
    ):
        indicator.name = data["name"][code]
        indicator.unit = data["unit"][code]
        indicator.save()
