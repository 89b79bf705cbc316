"""Demo integration areas, working groups and memberships (after home.demo,
which creates the accounts), plus a secretary and an observer of "Rynek
pracy", a past meeting with approved minutes and an upcoming meeting."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from home.demo import demo_password, ensure_account
from home.models import InfoPoint
from workgroups.discussion import demo as discussion_demo
from workgroups.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Decision,
    IntegrationArea,
    Meeting,
    Membership,
    Minutes,
    MinutesItem,
    WorkingGroup,
)
from workgroups.models.record import (
    fingerprint_of,
    minutes_canonical_text,
    quorum_of,
)

# (e-mail, first name, last name): people of the working groups' demo only.
WORKGROUP_ACCOUNTS = [
    ("sekretarz@example.org", "Stefan", "Sekretarz"),
    ("obserwatorka@example.org", "Olga", "Obserwatorka"),
    ("zdrowie@example.org", "Zofia", "Zdrowa"),
]
# Groups whose members must sign in with a second factor (the group's setting
# in the admin): shows the feature with a demo account of its own.
SECOND_FACTOR_GROUPS = {"zdrowie"}
PAST_MEETING = "Posiedzenie inauguracyjne (demonstracja)"
UPCOMING_MEETING = "Posiedzenie robocze (demonstracja)"

# (area, group name, slug, public description) — the areas the programme's
# summary names for the Platforma współpracy; descriptions are demo text.
GROUPS = [
    (
        "Rynek pracy",
        "Rynek pracy",
        "rynek-pracy",
        "Zatrudnienie, uznawanie kwalifikacji i przedsiębiorczość cudzoziemców "
        "(tekst demonstracyjny).",
    ),
    (
        "Edukacja",
        "Edukacja",
        "edukacja",
        "Szkoła, przedszkole i kształcenie dorosłych (tekst demonstracyjny).",
    ),
    (
        "Zdrowie",
        "Zdrowie",
        "zdrowie",
        "Dostęp do ochrony zdrowia i zdrowie psychiczne (tekst demonstracyjny).",
    ),
    (
        "Mieszkalnictwo",
        "Mieszkalnictwo",
        "mieszkalnictwo",
        "Mieszkania na wynajem i pomoc w ich znalezieniu (tekst demonstracyjny).",
    ),
    (
        "Status prawny",
        "Status prawny i legalizacja pobytu",
        "status-prawny",
        "Legalizacja pobytu i pracy, procedury urzędowe (tekst demonstracyjny).",
    ),
]

# (e-mail, group slug, role, listed publicly)
MEMBERSHIPS = [
    ("przewodniczaca@example.org", "rynek-pracy", Membership.Role.CHAIR, True),
    ("ekspert@example.org", "rynek-pracy", Membership.Role.EXPERT, True),
    ("ekspertka@example.org", "edukacja", Membership.Role.EXPERT, False),
    ("sekretarz@example.org", "rynek-pracy", Membership.Role.SECRETARY, False),
    ("obserwatorka@example.org", "rynek-pracy", Membership.Role.OBSERVER, False),
    ("zdrowie@example.org", "zdrowie", Membership.Role.EXPERT, False),
]


@transaction.atomic
def load(*, stdout):
    for order, (area_name, name, slug, description) in enumerate(GROUPS):
        area, _ = IntegrationArea.objects.get_or_create(
            name=area_name, defaults={"sort_order": order}
        )
        WorkingGroup.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "area": area,
                "description": description,
                "require_mfa": slug in SECOND_FACTOR_GROUPS,
            },
        )
    password = demo_password()
    for email, first_name, last_name in WORKGROUP_ACCOUNTS:
        ensure_account(email, first_name, last_name, "member", password)
    users = get_user_model().objects
    for email, slug, role, listed in MEMBERSHIPS:
        Membership.objects.get_or_create(
            group=WorkingGroup.objects.get(slug=slug),
            user=users.get(email=email),
            defaults={"role": role, "listed_publicly": listed},
        )
    _ensure_meetings(WorkingGroup.objects.get(slug="rynek-pracy"))
    stdout.write(f"Working groups: {', '.join(name for _, name, *__ in GROUPS)}")
    for email, first_name, last_name in WORKGROUP_ACCOUNTS:
        stdout.write(f"  {email:30} {first_name} {last_name} (member)")
    discussion_demo.load(stdout=stdout)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _ensure_meetings(group):
    """Written straight to the tables (no notifications); created once."""
    users = {
        u.email: u for u in get_user_model().objects.filter(memberships__group=group)
    }
    chair = users["przewodniczaca@example.org"]
    expert = users["ekspert@example.org"]
    point = InfoPoint.objects.filter(kind=InfoPoint.Kind.POINT).first()
    today = timezone.localdate()
    if not Meeting.objects.filter(group=group, title=PAST_MEETING).exists():
        day = today - timedelta(days=14)
        meeting = Meeting.objects.create(
            group=group,
            title=PAST_MEETING,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            info_point=point,
            created_by=chair,
        )
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=0,
            title="Diagnoza barier w dostępie do rynku pracy (tekst demonstracyjny)",
            presenter=expert,
            duration_minutes=45,
        )
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, user=user) for user in users.values()
        )
        minutes = Minutes.objects.create(meeting=meeting)
        MinutesItem.objects.create(
            minutes=minutes,
            agenda_item=item,
            notes="Zespół omówił wstępną diagnozę (tekst demonstracyjny).",
        )
        Decision.objects.create(
            minutes=minutes,
            agenda_item=item,
            text="Zespół przygotuje rekomendacje dotyczące uznawania kwalifikacji "
            "(tekst demonstracyjny).",
            method=Decision.Method.CONSENSUS,
            follow_up=True,
        )
        ActionItem.objects.create(
            minutes=minutes,
            agenda_item=item,
            description="Zebrać dane o zatrudnieniu cudzoziemców w Małopolsce "
            "(tekst demonstracyjny).",
            owner=expert,
            due_date=today + timedelta(days=21),
        )
        voting, present, required = quorum_of(meeting)
        minutes.status = Minutes.Status.APPROVED
        minutes.approved_at = _at(day, 13)
        minutes.approved_by = chair
        minutes.voting_members, minutes.voting_present = voting, present
        minutes.quorum_required = required
        minutes.save()
        minutes.approved_text = minutes_canonical_text(minutes)
        minutes.fingerprint = fingerprint_of(minutes.approved_text)
        minutes.save()
        minutes.save_revision(user=chair, clean=False)
    if not Meeting.objects.filter(group=group, title=UPCOMING_MEETING).exists():
        day = today + timedelta(days=14)
        meeting = Meeting.objects.create(
            group=group,
            title=UPCOMING_MEETING,
            starts_at=_at(day, 10),
            ends_at=_at(day, 12),
            info_point=point,
            online_url="https://meet.example.org/rynek-pracy",
            created_by=chair,
        )
        AgendaItem.objects.create(
            meeting=meeting,
            position=0,
            title="Projekt rekomendacji (tekst demonstracyjny)",
            presenter=expert,
            duration_minutes=60,
        )
