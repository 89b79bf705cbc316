"""Stored-XSS probes: markup and script URLs stored, through the services,
in every field that is shown back, then opened in Chromium. Nothing runs
(``window.__xss`` stays undefined) and the text shows literally."""

import datetime
import uuid

import pytest
from playwright.sync_api import expect

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from home.demo import demo_password
from tests.e2e.helpers import sign_in

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
SVG = '"><svg onload=window.__xss=1>'
LINK = "javascript:window.__xss=1"
PAYLOAD = f"{IMG} {SCRIPT} {SVG} {LINK}"
# The drafts' formatting (documents/richtext.py): marks around markup, links
# to script and data URLs, an address that tries to leave its attribute,
# lists, a quote and headings of both levels.
RICH_PAYLOAD = (
    f"{PAYLOAD}\n\n# {SVG}\n\n## {IMG}\n\n{IMG} {SCRIPT} **{IMG}** _{SVG}_ "
    f'[{IMG}]({LINK}) [x](https://example.org/"onmouseover=window.__xss=1)\n\n'
    f"- {IMG}\n- [{SVG}]({LINK})\n\n1. {SCRIPT}\n\n"
    f"> {IMG} [q](data:text/html,{SCRIPT})"
)
RAW = (
    f'<a href="{LINK}" onclick="window.__xss=1">{IMG}</a>{SCRIPT}<b onmouseover=x>b</b>'
)
CHAIR = "przewodniczaca@example.org"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _store_probes():
    """Every shown-back field of the demo's labour-market group and of the
    public programme, filled through the services; the paths to open."""
    from workgroups.models import WorkingGroup

    chair = get_user_model().objects.get(email=CHAIR)
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    return {
        "discussion": _discussion_probes(chair, group),
        "drafts": _draft_probes(chair, group),
        "meetings": _meeting_probes(chair, group),
        "public": _public_probes(),
    }


def _discussion_probes(chair, group):
    """A topic title and a message (with a URL that tries to break out of
    its link)."""
    from workgroups.discussion import services as discussion

    room = group.room
    topic = discussion.topic_create(actor=chair, room=room, title=PAYLOAD)
    discussion.message_post(
        author=chair,
        topic=topic,
        body=f'{PAYLOAD} https://example.org/"onmouseover=window.__xss=1',
        client_id=uuid.uuid4(),
    )
    return [
        f"/pl/discussion/{group.pk}/",
        f"/pl/discussion/{group.pk}/topics/{topic.pk}/",
    ]


def _draft_probes(chair, group):
    """A draft's title, summary, text and version note in two versions, a
    comment and an attachment's name."""
    from documents import services as documents
    from documents.models import Draft

    draft = documents.draft_create(
        actor=chair, group=group, title=PAYLOAD, summary=PAYLOAD, text=PAYLOAD
    )
    draft = documents.draft_save(
        actor=chair,
        draft_id=draft.pk,
        base_version=1,
        title=PAYLOAD,
        summary=PAYLOAD,
        text=RICH_PAYLOAD,
        note=PAYLOAD,
    )
    # Stored past the sanitiser, as an old row or a broken import would be:
    # it is sanitised again when read.
    raw = [*draft.body.raw_data, {"type": "paragraph", "value": RAW, "id": "raw"}]
    Draft.objects.filter(pk=draft.pk).update(body=raw)
    documents.comment_add(
        actor=chair, draft=draft, block_id=draft.paragraphs()[0][0], text=PAYLOAD
    )
    documents.attachment_upload(
        actor=chair,
        draft=draft,
        upload=SimpleUploadedFile(f"{IMG}{SVG}.pdf", PDF),
    )
    return [
        f"/pl/drafts/groups/{group.pk}/",
        f"/pl/drafts/{draft.pk}/",
        f"/pl/drafts/{draft.pk}/versions/",
        f"/pl/drafts/{draft.pk}/compare/?a=1&b=2",
        f"/pl/drafts/{draft.pk}/edit/",
        f"/pl/drafts/{draft.pk}/print/",
    ]


def _meeting_probes(chair, group):
    """A meeting's title and address, an agenda item, minutes' notes, a
    decision and an action item."""
    from workgroups.services import meetings, minutes

    starts = timezone.now() + datetime.timedelta(days=40)
    meeting = meetings.meeting_schedule(
        actor=chair,
        group=group,
        title=PAYLOAD,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        address=PAYLOAD,
    )
    item = meetings.agenda_item_add(
        actor=chair, meeting=meeting, title=PAYLOAD, duration_minutes=10
    )
    record = minutes.minutes_start(actor=chair, meeting=meeting)
    record = minutes.minutes_save(
        actor=chair, minutes=record, notes={item.pk: PAYLOAD}, base_version=0
    )
    minutes.decision_record(actor=chair, minutes=record, agenda_item=item, text=PAYLOAD)
    minutes.action_item_add(
        actor=chair,
        minutes=record,
        agenda_item=item,
        description=PAYLOAD,
        owner=chair,
        due_date=timezone.localdate() + datetime.timedelta(days=50),
    )
    return [
        "/pl/workspace/",
        f"/pl/workspace/groups/{group.pk}/",
        f"/pl/workspace/meetings/{meeting.pk}/",
        f"/pl/workspace/meetings/{meeting.pk}/minutes/edit/",
    ]


def _public_probes():
    """An action page's title, summary and fields, and an info point."""
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

    from home.models import ActionPage, DirectionPage, InfoPoint

    # Rich text as the editor stores it: Wagtail's converter keeps the text
    # and drops what is not allowed (event handlers, script URLs).
    summary = EditorHTMLConverter(features=["bold", "link"]).to_database_format(
        f'<p>{PAYLOAD.replace("<", "&lt;")} <a href="{LINK}">link</a>'
        f'<img src=x onerror="window.__xss=1"></p>'
    )
    direction = DirectionPage.objects.live().filter(locale__language_code="pl").first()
    action = ActionPage(
        title=PAYLOAD,
        slug="proba-xss",
        number="9.9.9",
        summary=summary,
        responsible_body=PAYLOAD,
        partners=PAYLOAD,
        start_year=2024,
        end_year=2026,
        status="in_progress",
    )
    direction.add_child(instance=action)
    action.save_revision().publish()
    InfoPoint.objects.create(
        name=PAYLOAD,
        locale=direction.locale,
        city="Kraków",
        address=PAYLOAD,
        opening_hours=PAYLOAD,
        accessibility=PAYLOAD,
    )
    return [action.url, direction.url, "/pl/pomoc/"]


def _proposal_probes(group, chair):
    """A proposal and a poll with markup in every field shown back (title,
    text, options, a reason of the open ballot)."""
    from workgroups.services import proposals

    week = timezone.now() + datetime.timedelta(days=7)
    consent = proposals.proposal_open(
        actor=chair, group=group, title=PAYLOAD, text=PAYLOAD, closes_at=week
    )
    proposals.ballot_cast(actor=chair, proposal=consent, choice="agree", reason=PAYLOAD)
    poll = proposals.proposal_open(
        actor=chair,
        group=group,
        title=PAYLOAD,
        kind="choice",
        options=[PAYLOAD, SVG],
        closes_at=week,
    )
    proposals.ballot_cast(actor=chair, proposal=poll, choice="0")
    return [
        f"/pl/workspace/groups/{group.pk}/proposals/",
        f"/pl/workspace/proposals/{consent.pk}/",
        f"/pl/workspace/proposals/{poll.pk}/",
    ]


@pytest.fixture(scope="module")
def probes(demo_site, django_db_blocker):
    from workgroups.models import WorkingGroup

    with django_db_blocker.unblock():
        probes = _store_probes()
        chair = get_user_model().objects.get(email=CHAIR)
        group = WorkingGroup.objects.get(slug="rynek-pracy")
        probes["proposals"] = _proposal_probes(group, chair)
    return probes


@pytest.mark.parametrize(
    "group", ["discussion", "drafts", "meetings", "public", "proposals"]
)
def test_stored_markup_shows_as_text_and_never_runs(page, probes, group):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    sign_in(page, CHAIR, demo_password())
    for path in probes[group]:
        response = page.goto(path)
        assert response.status == 200, path
        main = page.locator("#main")
        expect(main).to_contain_text(IMG)
        assert page.evaluate("() => window.__xss") is None, path
        # Links are http(s) or the site's own; no script URL became a link.
        hrefs = main.locator("a[href]").evaluate_all(
            "links => links.map(link => link.href)"
        )
        assert not [href for href in hrefs if href.startswith("javascript:")], path
    assert dialogs == []
