"""Demo integration areas, working groups and memberships (after home.demo,
which creates the accounts)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from workgroups.discussion import demo as discussion_demo
from workgroups.models import IntegrationArea, Membership, WorkingGroup

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
]


@transaction.atomic
def load(*, stdout):
    for order, (area_name, name, slug, description) in enumerate(GROUPS):
        area, _ = IntegrationArea.objects.get_or_create(
            name=area_name, defaults={"sort_order": order}
        )
        WorkingGroup.objects.get_or_create(
            slug=slug, defaults={"name": name, "area": area, "description": description}
        )
    users = get_user_model().objects
    for email, slug, role, listed in MEMBERSHIPS:
        Membership.objects.get_or_create(
            group=WorkingGroup.objects.get(slug=slug),
            user=users.get(email=email),
            defaults={"role": role, "listed_publicly": listed},
        )
    stdout.write(f"Working groups: {', '.join(name for _, name, *__ in GROUPS)}")
    discussion_demo.load(stdout=stdout)
