"""Demo drafts of the "Rynek pracy" group (data: ``drafts.json``), after
``workgroups.demo``, which creates the group, its members and meetings, and
the programme's recommendations section:

- a draft being written, for the demo accounts to write together live;
- a draft in group review, with two versions, a comment on a paragraph, the
  demo experts' comments on phrases of its text (one with a reply) and their
  open suggestions (docs/subsystems/suggestions.md), on the agenda of the
  upcoming meeting;
- a draft that went the whole way: approved by a decision of a past meeting's
  approved minutes, reviewed by the editor and published as a recommendation
  under action 2.2.3.

Drafts go through the documents' own services and review steps, as a group
would write them."""

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.models import Locale

from documents import review, services
from documents.live import anchors
from documents.live import convert as live_convert
from documents.live import store as live_store
from documents.models import Draft, LiveUpdate, RecommendationIndexPage
from home.demo.data import read
from home.models import ActionPage, ProgrammePage
from workgroups.demo.meetings import (
    UPCOMING_MEETING,
    approve_minutes,
    demo_time,
    meeting_with_item,
)
from workgroups.models import AgendaItem, Decision, Minutes, WorkingGroup

DATA = read(__package__, "drafts.json")
TITLE = DATA["in_review"]["title"]
PUBLISHED_TITLE = DATA["published"]["title"]
WRITING_TITLE = DATA["writing"]["title"]


@transaction.atomic
def load(*, stdout):
    _ensure_recommendation_sections()
    users = get_user_model().objects
    chair = users.get(email=DATA["chair"])
    expert = users.get(email=DATA["expert"])
    group = WorkingGroup.objects.get(slug=DATA["group"])
    if not Draft.objects.filter(title=WRITING_TITLE).exists():
        _draft_create(group, chair, DATA["writing"])
    if not Draft.objects.filter(title=TITLE).exists():
        _draft_in_group_review(group, chair, expert)
    if not Draft.objects.filter(title=PUBLISHED_TITLE).exists():
        _published_recommendation(group, chair)
    _translate_published(Draft.objects.get(title=PUBLISHED_TITLE))
    stdout.write(
        f"Demo drafts: {WRITING_TITLE}; {TITLE}; {PUBLISHED_TITLE} (published)"
    )


def _ensure_recommendation_sections():
    """The recommendations section under the Polish programme, translated
    into the programme's other languages (same translation key, so that the
    language switcher and translated recommendations find their place), with
    the review workflow assigned."""
    sections = DATA["recommendation_sections"]
    default = Locale.get_default()
    polish = ProgrammePage.objects.filter(locale=default).first()
    if polish is None:
        return
    index = RecommendationIndexPage.objects.child_of(polish).first()
    if index is None:
        index = RecommendationIndexPage(
            title=sections["title"][default.language_code], slug=sections["slug"]
        )
        polish.add_child(instance=index)
        index.save_revision().publish()
    review.prepare_section(index)
    for programme in ProgrammePage.objects.exclude(locale=default):
        code = programme.locale.language_code
        if code in sections["title"] and not index.has_translation(programme.locale):
            _publish_translation(index, programme.locale, title=sections["title"][code])


def _publish_translation(page, locale, **fields):
    translation = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def _translate_published(draft):
    """The published recommendation in Ukrainian and English, as an editor
    translates it in the admin: a copy with the same block ids, its text
    replaced."""
    page = draft.recommendation_pages.get()
    text = DATA["published"]["translated"]
    for locale in Locale.objects.exclude(pk=page.locale_id):
        code = locale.language_code
        if code not in text["title"] or page.has_translation(locale):
            continue
        body = [
            {**block, "value": _translated_block(block, paragraph)}
            for block, paragraph in zip(
                page.body.raw_data, text["paragraphs"][code], strict=True
            )
        ]
        _publish_translation(page, locale, title=text["title"][code], body=body)


def _translated_block(block, text):
    if block["type"] == "heading":
        return {**block["value"], "text": text}
    return f"<p>{text}</p>"


def _draft_in_group_review(group, chair, expert):
    data = DATA["in_review"]
    draft = _draft_create(group, chair, data)
    draft = services.draft_save(
        actor=expert,
        draft_id=draft.pk,
        base_version=1,
        title=TITLE,
        summary="",
        text=data["revised_text"],
        note=data["revision_note"],
    )
    comment = data["comment"]
    services.comment_add(
        actor=chair,
        draft=draft,
        block_id=draft.paragraphs()[comment["paragraph"]][0],
        text=comment["text"],
    )
    for range_comment in data["range_comments"]:
        _range_comment(draft, range_comment)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    for suggestion in data["suggestions"]:
        _suggest(draft, suggestion)
    item = AgendaItem.objects.filter(
        meeting__group=group, meeting__title=UPCOMING_MEETING
    ).first()
    if item is not None:
        services.agenda_draft_link(actor=chair, agenda_item=item, draft=draft)


def _suggest(draft, data):
    """One expert's suggestion in the draft's live document, stored as their
    update, as the editor would have sent it."""
    author = get_user_model().objects.get(email=data["author"])
    doc = live_store.load_doc(draft.pk)
    before = doc.get_state()
    text = live_convert.fragment(doc).children[data["block"]].children[0]
    plain = "".join(str(chunk) for chunk, _attributes in text.diff())
    mark = {"id": f"demo-{author.pk}-{len(plain)}", "author": author.pk}
    if data["kind"] == "insertion":
        at = len(plain[: plain.index(data["after"]) + len(data["after"])].encode())
        text.insert(at, data["text"], {"insertion": mark})
    else:
        start = len(plain[: plain.index(data["text"])].encode())
        text.format(start, start + len(data["text"].encode()), {"deletion": mark})
    LiveUpdate.objects.create(
        draft=draft, data=doc.get_update(before), author_id=author.pk
    )


def _range_comment(draft, data):
    """A demo expert's comment on a phrase, anchored as the editor anchors
    one, with its reply."""
    users = get_user_model().objects
    thread = services.comment_add(
        actor=users.get(email=data["author"]),
        draft=draft,
        text=data["text"],
        anchors=anchors.text_range(live_store.load(draft.pk), data["quote"]),
    )
    if "reply" in data:
        services.comment_add(
            actor=users.get(email=data["reply"]["author"]),
            draft=draft,
            text=data["reply"]["text"],
            parent=thread,
        )


def _published_recommendation(group, chair):
    """Approved at a past meeting, then reviewed and published by the demo
    editor through Wagtail's workflow."""
    draft = _draft_create(group, chair, DATA["published"])
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    decision = _approving_decision(group, chair, draft)
    review.record_group_approval(
        actor=chair, draft_id=draft.pk, decision_id=decision.pk, version_number=1
    )
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    editor = get_user_model().objects.get(email=DATA["editor"])
    page.current_workflow_state.current_task_state.approve(user=editor)


def _approving_decision(group, chair, draft):
    """The past meeting whose approved minutes hold the group's decision to
    adopt version 1 (written straight to the tables, as in workgroups.demo)."""
    data = DATA["published"]["approving_meeting"]
    agenda_item = {"title": PUBLISHED_TITLE, "duration_minutes": data["agenda_minutes"]}
    meeting, item = meeting_with_item(
        group, {**data, "agenda_item": agenda_item}, chair=chair
    )
    services.agenda_draft_link(actor=chair, agenda_item=item, draft=draft)
    minutes = Minutes.objects.create(meeting=meeting)
    decision = Decision.objects.create(
        minutes=minutes,
        agenda_item=item,
        text=data["decision"],
        method=Decision.Method.CONSENSUS,
    )
    at = demo_time(data["days_from_today"], data["approved_at_hour"])
    approve_minutes(minutes, chair=chair, at=at)
    return decision


def _draft_create(group, chair, data):
    """The draft's first version, linked to the programme's action it serves."""
    actions = ActionPage.objects.filter(
        number=data["action"], locale=Locale.get_default()
    )
    return services.draft_create(
        actor=chair,
        group=group,
        title=data["title"],
        text=data["text"],
        actions=actions,
    )
