"""A demo draft of the "Rynek pracy" group with two versions and a comment
(after workgroups.demo, which creates the group and its members)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from documents import services
from documents.models import Draft
from workgroups.models import WorkingGroup

TITLE = "Rekomendacje: uznawanie kwalifikacji zawodowych (tekst demonstracyjny)"
FIRST = (
    "# Diagnoza\n\n"
    "Osoby z Ukrainy często pracują poniżej swoich kwalifikacji (tekst "
    "demonstracyjny).\n\n"
    "# Rekomendacje\n\n"
    "Punkty informacyjno-doradcze pomagają w przygotowaniu dokumentów do "
    "uznania kwalifikacji."
)
SECOND = FIRST.replace(
    "pomagają w przygotowaniu", "pomagają bezpłatnie w przygotowaniu"
)


@transaction.atomic
def load(*, stdout):
    if Draft.objects.filter(title=TITLE).exists():
        return
    users = get_user_model().objects
    chair = users.get(email="przewodniczaca@example.org")
    expert = users.get(email="ekspert@example.org")
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    draft = services.draft_create(actor=chair, group=group, title=TITLE, text=FIRST)
    draft = services.draft_save(
        actor=expert,
        draft_id=draft.pk,
        base_version=1,
        title=TITLE,
        summary="",
        text=SECOND,
        note="Doprecyzowanie: pomoc bezpłatna",
    )
    services.comment_add(
        actor=chair,
        draft=draft,
        block_id=draft.paragraphs()[3][0],
        text="Czy wszystkie punkty mają doradców od uznawania kwalifikacji?",
    )
    stdout.write(f"Demo draft: {TITLE}")
