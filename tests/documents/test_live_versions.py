"""Versions of the live document (docs/subsystems/co-editing.md): who edited
since the previous version, the automatic version once editing is quiet,
the plain form beside live editing (its fingerprint, the merge helper), the
details form, restore and the read-only live views."""

from datetime import timedelta

import pytest
from django_tasks import default_task_backend
from pycrdt import XmlElement, XmlText

from django.core import signing
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from documents import review, services
from documents.live import convert, store
from documents.models import Draft, DraftVersion, LiveUpdate
from documents.tasks import draft_version_when_quiet, schedule_quiet_version
from tests.documents.helpers import chair_of, group_with_draft, opened_form
from tests.documents.live_helpers import readable
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership

pytestmark = pytest.mark.django_db


def write_live(draft, user, text):
    """``user`` adds a paragraph in the live editor (stored as the socket
    stores it)."""
    doc = store.load_doc(draft.pk)
    before = doc.get_state()
    paragraph = XmlElement("paragraph", {}, [XmlText(text)])
    convert.fragment(doc).children.append(paragraph)
    store.append(draft_id=draft.pk, update=doc.get_update(before), author_id=user.pk)


def live_text(draft):
    return readable(store.load_doc(draft.pk))


def editors(version):
    return {user.pk for user in version.editors.all()}


def age_live_updates(minutes=11):
    LiveUpdate.objects.update(created_at=timezone.now() - timedelta(minutes=minutes))


@pytest.fixture(name="team")
def team_fixture():
    author, draft = group_with_draft("Pierwszy akapit.")
    other = MembershipFactory(group=author.group).user
    saver = MembershipFactory(group=author.group).user
    return draft, author.user, other, saver


# --- who edited -------------------------------------------------------------


def test_save_as_version_lists_everyone_who_wrote_since_the_previous_one(client, team):
    draft, author, other, saver = team
    write_live(draft, author, "Od autorki.")
    write_live(draft, other, "Od kolegi.")
    client.force_login(saver)

    saved = client.post(f"/pl/drafts/{draft.pk}/edit/live/", {"note": "Razem"})

    assert saved.status_code == 302
    version = draft.versions.first()
    assert (version.number, version.note) == (2, "Razem")
    assert editors(version) == {author.pk, other.pk}  # not the one who clicked
    write_live(draft, other, "Jeszcze kolega.")
    client.post(f"/pl/drafts/{draft.pk}/edit/live/", {"note": ""})
    assert editors(draft.versions.first()) == {other.pk}


def test_who_edited_is_kept_when_their_updates_are_compacted(team):
    draft, author, other, saver = team
    write_live(draft, author, "Od autorki.")
    mark = services.live_fingerprint(draft.pk)
    assert store.compact(draft.pk) >= 1
    write_live(draft, other, "Od kolegi.")
    store.compact(draft.pk)

    assert not LiveUpdate.objects.filter(draft=draft).exists()
    assert services.live_fingerprint(draft.pk) > mark
    saved = services.draft_save_live(actor=saver, draft_id=draft.pk)
    assert editors(saved.versions.first()) == {author.pk, other.pk}
    assert "Od kolegi." in [b["value"] for b in saved.body.raw_data][-1]


def test_version_history_names_the_editors_in_the_readers_language(client, team):
    draft, author, other, saver = team
    author.first_name, author.last_name = "Anna", "Nowak"
    author.save()
    write_live(draft, author, "Od autorki.")
    services.draft_save_live(actor=saver, draft_id=draft.pk)
    client.force_login(other)

    polish = client.get(f"/pl/drafts/{draft.pk}/versions/").content.decode()
    english = client.get(f"/en/drafts/{draft.pk}/versions/").content.decode()

    assert "Edytowali" in polish and "Anna Nowak" in polish
    assert "Edited by" in english and "Anna Nowak" in english


def test_a_persons_data_export_names_the_versions_they_edited(team):
    from documents import privacy

    draft, author, other, saver = team
    write_live(draft, other, "Od kolegi.")
    services.draft_save_live(actor=saver, draft_id=draft.pk)

    edited = privacy.export(other)["versions_edited"]

    assert [(row["draft__title"], row["number"]) for row in edited] == [
        ("Rekomendacja", 2)
    ]


# --- the automatic version ---------------------------------------------------


def test_quiet_command_saves_exactly_one_version_and_then_nothing(client, team):
    draft, author, other, _saver = team
    write_live(draft, author, "Od autorki.")
    write_live(draft, other, "Od kolegi.")

    call_command("save_quiet_drafts", verbosity=0)
    assert draft.versions.count() == 1  # still being written: not quiet yet

    age_live_updates()
    call_command("save_quiet_drafts", verbosity=0)
    call_command("save_quiet_drafts", verbosity=0)

    assert draft.versions.count() == 2
    version = draft.versions.first()
    assert version.automatic and version.author is None
    assert editors(version) == {author.pk, other.pk}
    texts = [b["value"] for b in version.as_draft().body.raw_data]
    assert texts == ["Pierwszy akapit.", "Od autorki.", "Od kolegi."]
    client.force_login(author)
    html = client.get(f"/pl/drafts/{draft.pk}/versions/").content.decode()
    assert "zapisana automatycznie" in html


def test_quiet_command_leaves_drafts_in_review_and_unchanged_texts(team):
    draft, author, other, _saver = team
    write_live(draft, author, "Do cofnięcia.")
    doc = store.load_doc(draft.pk)
    before = doc.get_state()
    del convert.fragment(doc).children[1]
    store.append(draft_id=draft.pk, update=doc.get_update(before), author_id=other.pk)
    age_live_updates()

    assert services.drafts_save_quiet() == []  # the same text as version 1

    write_live(draft, author, "Nowe.")
    age_live_updates()
    review.submit_for_group_review(actor=chair_of(draft.group), draft_id=draft.pk)
    assert services.drafts_save_quiet() == []
    assert draft.versions.count() == 1


def test_the_last_writer_leaving_schedules_the_quiet_version(team):
    draft, author, _other, _saver = team
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        default_task_backend.clear()
        schedule_quiet_version(draft.pk)
        [scheduled] = default_task_backend.results
        assert scheduled.args == [draft.pk]
        assert scheduled.task.run_after > timezone.now() + timedelta(minutes=9)
    write_live(draft, author, "Od autorki.")
    age_live_updates()

    draft_version_when_quiet.call(draft.pk)

    assert draft.versions.first().automatic


# --- the plain form (no JavaScript) ------------------------------------------


def test_plain_form_opens_on_the_live_text_and_its_save_reaches_everyone(client, team):
    draft, author, other, saver = team
    write_live(draft, other, "Z edytora.")
    client.force_login(saver)
    form = opened_form(client, draft)
    assert form["text"] == "Pierwszy akapit.\n\nZ edytora."

    saved = client.post(
        f"/pl/drafts/{draft.pk}/edit/", form | {"text": form["text"] + "\n\nMój."}
    )

    assert saved.status_code == 302
    assert "Z edytora." in live_text(draft) and "Mój." in live_text(draft)
    version = draft.versions.first()
    assert editors(version) == {other.pk, saver.pk}
    assert services.live_fingerprint(draft.pk) == version.live_through


def test_plain_form_is_refused_with_the_merge_helper_after_a_live_edit(client, team):
    draft, author, other, saver = team
    client.force_login(saver)
    form = opened_form(client, draft, text="Pierwszy akapit.\n\nMój dopisek.")
    write_live(draft, other, "Tymczasem w edytorze.")

    refused = client.post(f"/pl/drafts/{draft.pk}/edit/", form)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "zmieniony w edytorze na żywo" in html
    assert "Mój dopisek." in html  # kept in the form
    assert "[usunięto: </span>Tymczasem" in html  # the live text, compared
    assert draft.versions.count() == 1
    assert "Tymczasem w edytorze." in live_text(draft)
    again = refused.context["form"].initial
    merged = form | {
        "text": again["text"] + "\n\nTymczasem w edytorze.",
        "live_state": again["live_state"],
    }
    assert client.post(f"/pl/drafts/{draft.pk}/edit/", merged).status_code == 302
    assert "Mój dopisek." in live_text(draft)
    assert "Tymczasem w edytorze." in live_text(draft)


@pytest.mark.parametrize("forged", ["", "123", "abc:def", "forged"])
def test_an_unreadable_fingerprint_is_refused_and_writes_nothing(client, team, forged):
    draft, _author, _other, saver = team
    client.force_login(saver)
    form = opened_form(client, draft, text="Podmieniony.", live_state=forged)

    refused = client.post(f"/pl/drafts/{draft.pk}/edit/", form)

    assert refused.status_code == 409
    assert draft.versions.count() == 1
    assert "Podmieniony." not in live_text(draft)


def test_a_fingerprint_of_another_draft_is_refused(client, team):
    draft, author, _other, saver = team
    other_draft = services.draft_create(
        actor=author, group=draft.group, title="Inny", text="Inny tekst."
    )
    client.force_login(saver)
    theirs = opened_form(client, other_draft)["live_state"]
    assert signing.loads(theirs, salt=f"documents.live.{other_draft.pk}") == 0
    form = opened_form(client, draft, text="Podmieniony.", live_state=theirs)

    assert client.post(f"/pl/drafts/{draft.pk}/edit/", form).status_code == 409
    assert draft.versions.count() == 1


# --- details beside the live editor ------------------------------------------


def details(draft, **changes):
    data = {
        "details-title": draft.title,
        "details-summary": draft.summary,
        "details-base": services.details_fingerprint(draft),
    }
    return data | {f"details-{name}": value for name, value in changes.items()}


def test_details_change_the_title_and_leave_the_live_text_alone(client, team):
    draft, author, other, saver = team
    write_live(draft, other, "Pisane na żywo.")
    client.force_login(saver)
    page = client.get(f"/pl/drafts/{draft.pk}/edit/")
    assert 'name="details-title"' in page.content.decode()

    saved = client.post(
        f"/pl/drafts/{draft.pk}/edit/details/", details(draft, title="Nowy tytuł")
    )

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nowy tytuł" and draft.version == 2
    assert "Pisane na żywo." in live_text(draft)
    version = draft.versions.first()
    assert editors(version) == {saver.pk}
    assert [b["value"] for b in version.as_draft().body.raw_data] == [
        "Pierwszy akapit."
    ]
    # What was written live stays for the next version of the text.
    services.draft_save_live(actor=saver, draft_id=draft.pk)
    assert other.pk in editors(draft.versions.first())
    assert draft.versions.first().as_draft().title == "Nowy tytuł"


def test_stale_details_are_refused_and_keep_what_was_typed(client, team):
    draft, _author, other, saver = team
    opened = details(draft, title="Tytuł drugiej osoby")
    client.force_login(other)
    client.post(
        f"/pl/drafts/{draft.pk}/edit/details/", details(draft, title="Pierwsza")
    )
    client.force_login(saver)

    refused = client.post(f"/pl/drafts/{draft.pk}/edit/details/", opened)

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "„Pierwsza”" in html or "“Pierwsza”" in html
    assert 'value="Tytuł drugiej osoby"' in html
    assert Draft.objects.get(pk=draft.pk).title == "Pierwsza"


def test_empty_title_in_details_is_a_clear_error(client, team):
    draft, _author, _other, saver = team
    client.force_login(saver)

    refused = client.post(
        f"/pl/drafts/{draft.pk}/edit/details/", details(draft, title="")
    )

    assert refused.status_code == 400
    assert "To pole jest wymagane." in refused.content.decode()
    assert draft.versions.count() == 1


def test_details_are_for_writers_only(client, team):
    draft, _author, _other, _saver = team
    observer = MembershipFactory(group=draft.group, role=Membership.Role.OBSERVER)
    outsider = MembershipFactory()
    for person in (observer.user, outsider.user):
        client.force_login(person)
        answer = client.post(
            f"/pl/drafts/{draft.pk}/edit/details/", details(draft, title="Obcy")
        )
        assert answer.status_code == 404
    assert Draft.objects.get(pk=draft.pk).title == "Rekomendacja"


# --- restore ------------------------------------------------------------------


def test_restore_keeps_the_unsaved_live_text_and_reaches_every_editor(
    team, monkeypatch, django_capture_on_commit_callbacks
):
    draft, author, other, _saver = team
    services.draft_save_live(actor=author, draft_id=draft.pk)  # version 2
    write_live(draft, other, "Niezapisane.")
    published = []
    monkeypatch.setattr(
        services, "publish_update", lambda pk, update: published.append(pk)
    )

    with django_capture_on_commit_callbacks(execute=True):
        restored = services.draft_restore(
            actor=author, draft_id=draft.pk, number=1, base_version=2
        )

    kept, newest = DraftVersion.objects.filter(draft=draft, number__gt=2).order_by(
        "number"
    )
    assert "Niezapisane." in [b["value"] for b in kept.as_draft().body.raw_data]
    assert editors(kept) == {other.pk}
    assert newest.number == restored.version == 4
    assert "Niezapisane." not in live_text(draft)
    assert set(published) == {draft.pk}  # the restored text, to every editor


# --- read-only live views ----------------------------------------------------


def test_observer_follows_the_live_text_read_only_with_an_explanation(client, team):
    draft, *_ = team
    observer = MembershipFactory(group=draft.group, role=Membership.Role.OBSERVER)
    client.force_login(observer.user)

    page = client.get(f"/pl/drafts/{draft.pk}/")

    assert page.context["live"]["writable"] is False
    html = page.content.decode()
    assert "Jako obserwator" in html and 'id="live-editor-config"' in html
    english = client.get(f"/en/drafts/{draft.pk}/").content.decode()
    assert "As an observer" in english


def test_writers_page_has_no_live_view_and_review_makes_edit_page_suggest_only(
    client, team
):
    draft, author, *_ = team
    client.force_login(author)
    own_page = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    assert "live-editor-config" not in own_page

    review.submit_for_group_review(actor=chair_of(draft.group), draft_id=draft.pk)
    in_review = client.get(f"/pl/drafts/{draft.pk}/edit/")
    assert in_review.context["live"]["writable"] is True
    assert in_review.context["live"]["suggestOnly"] is True
    assert "details-title" not in in_review.content.decode()

    Draft.objects.filter(pk=draft.pk).update(status=Draft.Status.APPROVED)
    page = client.get(f"/pl/drafts/{draft.pk}/edit/")

    assert page.context["live"]["writable"] is False
    html = page.content.decode()
    assert "Nikt nie może teraz zmienić jego tekstu" in html
    assert "details-title" not in html and "/edit/live/" not in html
