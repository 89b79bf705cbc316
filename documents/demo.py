"""Demo drafts of the "Rynek pracy" group (after workgroups.demo, which
creates the group, its members and meetings) and the programme's
recommendations section:

- a draft in group review, with two versions and a comment, on the agenda of
  the upcoming meeting;
- a draft that went the whole way: approved by a decision of a past meeting's
  approved minutes, reviewed by the editor and published as a recommendation
  under action 2.2.2."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from documents import review, services
from documents.models import Draft, RecommendationIndexPage
from home.models import ActionPage, ProgrammePage
from workgroups.demo import UPCOMING_MEETING
from workgroups.models import AgendaItem, Decision, Meeting, Minutes, WorkingGroup
from workgroups.models.record import (
    fingerprint_of,
    minutes_canonical_text,
    quorum_of,
)

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
PUBLISHED_TITLE = "Rekomendacja: informacja dla pracodawców (tekst demonstracyjny)"
PUBLISHED_TEXT = (
    "# Rekomendacja\n\n"
    "Pracodawcy zatrudniający cudzoziemców potrzebują jednego źródła informacji "
    "o formalnościach; zespół rekomenduje odsyłanie ich do punktów "
    "informacyjno-doradczych i infolinii INFO.OPT (tekst demonstracyjny)."
)
APPROVING_MEETING = "Posiedzenie zatwierdzające rekomendację (tekst demonstracyjny)"
INDEX_TITLES = {"pl": "Rekomendacje", "uk": "Рекомендації", "en": "Recommendations"}


@transaction.atomic
def load(*, stdout):
    _ensure_recommendation_sections()
    users = get_user_model().objects
    chair = users.get(email="przewodniczaca@example.org")
    expert = users.get(email="ekspert@example.org")
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    if not Draft.objects.filter(title=TITLE).exists():
        _draft_in_group_review(group, chair, expert)
    if not Draft.objects.filter(title=PUBLISHED_TITLE).exists():
        _published_recommendation(group, chair)
    stdout.write(f"Demo drafts: {TITLE}; {PUBLISHED_TITLE} (published)")


def _ensure_recommendation_sections():
    for programme in ProgrammePage.objects.all():
        code = programme.locale.language_code
        index = RecommendationIndexPage.objects.child_of(programme).first()
        if index is None and code in INDEX_TITLES:
            index = RecommendationIndexPage(
                title=INDEX_TITLES[code], slug="rekomendacje"
            )
            programme.add_child(instance=index)
            index.save_revision().publish()
        if index is not None:
            review.prepare_section(index)


def _draft_in_group_review(group, chair, expert):
    draft = services.draft_create(
        actor=chair,
        group=group,
        title=TITLE,
        text=FIRST,
        actions=_actions("2.2.2"),
    )
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
        text="Czy wszystkie punkty mają doradców od uznawania kwalifikacji? "
        "@ekspert, sprawdzisz?",
    )
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    item = AgendaItem.objects.filter(
        meeting__group=group, meeting__title=UPCOMING_MEETING
    ).first()
    if item is not None:
        services.agenda_draft_link(actor=chair, agenda_item=item, draft=draft)


def _published_recommendation(group, chair):
    """Approved at a past meeting (written straight to the tables, as in
    workgroups.demo), then reviewed and published by the demo editor through
    Wagtail's workflow."""
    draft = services.draft_create(
        actor=chair,
        group=group,
        title=PUBLISHED_TITLE,
        text=PUBLISHED_TEXT,
        actions=_actions("2.2.3"),
    )
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    day = timezone.localdate() - timedelta(days=7)
    at = timezone.make_aware(datetime.combine(day, time(10)))
    meeting = Meeting.objects.create(
        group=group,
        title=APPROVING_MEETING,
        starts_at=at,
        ends_at=at + timedelta(hours=1),
        created_by=chair,
    )
    item = AgendaItem.objects.create(
        meeting=meeting, position=0, title=PUBLISHED_TITLE, duration_minutes=30
    )
    services.agenda_draft_link(actor=chair, agenda_item=item, draft=draft)
    minutes = Minutes.objects.create(meeting=meeting)
    decision = Decision.objects.create(
        minutes=minutes,
        agenda_item=item,
        text="Zespół przyjmuje rekomendację w wersji 1 (tekst demonstracyjny).",
        method=Decision.Method.CONSENSUS,
    )
    voting, present, required = quorum_of(meeting)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = at + timedelta(hours=2)
    minutes.approved_by = chair
    minutes.voting_members, minutes.voting_present = voting, present
    minutes.quorum_required = required
    minutes.save()
    minutes.approved_text = minutes_canonical_text(minutes)
    minutes.fingerprint = fingerprint_of(minutes.approved_text)
    minutes.save()
    review.record_group_approval(
        actor=chair, draft_id=draft.pk, decision_id=decision.pk, version_number=1
    )
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    editor = get_user_model().objects.get(email="redakcja@example.org")
    page.current_workflow_state.current_task_state.approve(user=editor)


def _actions(number):
    return ActionPage.objects.filter(number=number, locale=Locale.get_default())
