"""The working groups end to end: invitation → sign-up → meeting → answer →
minutes → approval → the action item on the expert's dashboard."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible

CHAIR = "przewodniczaca@example.org"
SECRETARY = "sekretarz@example.org"
EXPERT = "ekspert@example.org"
INVITEE = "nowa.ekspertka@example.org"
INVITEE_PASSWORD = "dluga fraza na nowe konto 2026"  # noqa: S105


def _invitation_link(email_dir, address):
    for path in sorted(email_dir.iterdir()):
        text = path.read_text(errors="replace")
        if f"To: {address}" in text:
            match = re.search(r"https?://[^/\s]+(/pl/workspace/invitations/\S+/)", text)
            if match:
                return match.group(1)
    raise AssertionError(f"no invitation e-mail to {address}")


def _open_group(page, name="Rynek pracy"):
    page.goto("/pl/workspace/")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_from_invitation_to_approved_minutes(person, axe, email_dir):
    chair = person(CHAIR)
    _open_group(chair)
    assert_accessible(axe, chair)
    _invite(chair, INVITEE)
    # The invitee opens the e-mailed link and signs up.
    _sign_up_by_invitation(person(), email_dir)

    meeting_url = _schedule_meeting_with_three_items(chair)
    assert_accessible(axe, chair)
    expert = person(EXPERT)
    _answer_yes(expert, meeting_url)
    _record_attendance_and_minutes(person(SECRETARY), meeting_url)
    _approve_minutes(chair, meeting_url)
    assert_accessible(axe, chair)

    # The expert sees the action item on the dashboard.
    expert.goto("/pl/workspace/")
    expect(
        expert.get_by_role("link", name="Rozesłać projekt do konsultacji.")
    ).to_be_visible()
    assert_accessible(axe, expert)


def _invite(chair, email):
    """The invitation is sent through the outbox at once (the server's tasks
    run in process): the list says so."""
    chair.get_by_role("link", name="Zaproś członków").click()
    chair.get_by_label("Adres e-mail").fill(email)
    chair.get_by_role("button", name="Wyślij zaproszenie").click()
    expect(
        chair.get_by_text(f"Zaproszenie na adres {email} czeka w kolejce")
    ).to_be_visible()
    expect(chair.get_by_role("row", name=email)).to_contain_text("wysłano")


def _sign_up_by_invitation(invitee, email_dir):
    invitee.goto(_invitation_link(email_dir, INVITEE))
    invitee.get_by_role("button", name="Utwórz moje konto").click()
    invitee.locator("input[name=email]").fill(INVITEE)
    invitee.get_by_label("Imię").fill("Nowa")
    invitee.get_by_label("Nazwisko").fill("Ekspertka")
    invitee.locator("input[name=password1]").fill(INVITEE_PASSWORD)
    invitee.locator("input[name=password2]").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name=re.compile("Zarejestruj")).click()
    expect(invitee).to_have_url(re.compile(r"/pl/workspace/groups/\d+/$"))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Rynek pracy")


def _schedule_meeting_with_three_items(chair):
    """The chair's new meeting, its agenda led by matters arising; its URL."""
    _open_group(chair)
    chair.get_by_role("link", name="Zaplanuj spotkanie").click()
    chair.get_by_label("Tytuł").fill("Posiedzenie z testu przeglądarki")
    chair.get_by_label("Początek").fill("2030-05-06T10:00")
    chair.get_by_label("Koniec").fill("2030-05-06T12:00")
    chair.get_by_label("Inny adres").fill("ul. Basztowa 22, Kraków")
    chair.get_by_role("button", name="Zaplanuj").click()
    expect(chair.get_by_text("Spotkanie zostało zaplanowane.")).to_be_visible()
    meeting_url = chair.url
    for title in ("Otwarcie", "Projekt rekomendacji", "Wolne wnioski"):
        chair.get_by_label("Tytuł").fill(title)
        chair.get_by_role("button", name="Dodaj do porządku obrad").click()
        expect(chair.get_by_text("Dodano punkt porządku obrad.")).to_be_visible()
    agenda = chair.locator("ol.agenda > li strong")
    expect(agenda).to_have_count(4)  # matters arising first, then the three
    expect(agenda.first).to_have_text("Sprawy wynikające z poprzednich spotkań")
    return meeting_url


def _answer_yes(expert, meeting_url):
    expert.goto(meeting_url)
    expert.get_by_label("tak", exact=True).check()
    expert.get_by_role("button", name="Odpowiedz").click()
    expect(expert.get_by_text("Twoja odpowiedź została zapisana.")).to_be_visible()
    expect(expert.get_by_text("Piotr Ekspert: tak")).to_be_visible()


def _record_attendance_and_minutes(secretary, meeting_url):
    """Attendance, notes, a decision and an action item for the expert."""
    secretary.goto(meeting_url)
    for name in ("Anna Przewodnicząca", "Piotr Ekspert", "Stefan Sekretarz"):
        secretary.get_by_label(re.compile(name)).check()
    secretary.get_by_role("button", name="Zapisz obecność").click()
    secretary.get_by_role("button", name="Napisz protokół").click()
    secretary.get_by_label("Notatki do punktu 3: Projekt rekomendacji").fill(
        "Omówiono projekt rekomendacji."
    )
    secretary.get_by_role("button", name="Zapisz notatki").click()
    expect(secretary.get_by_text("Protokół został zapisany.")).to_be_visible()
    decision = secretary.locator("form", has_text="Zapisz decyzję").last
    decision.get_by_label("Punkt porządku obrad").select_option(
        label="Projekt rekomendacji"
    )
    decision.get_by_label("Decyzja").fill("Zespół przyjmuje projekt rekomendacji.")
    decision.get_by_role("button", name="Zapisz decyzję").click()
    expect(secretary.get_by_text("Decyzja została zapisana.")).to_be_visible()
    action = secretary.locator("form", has_text="Zapisz zadanie").last
    action.get_by_label("Punkt porządku obrad").select_option(
        label="Projekt rekomendacji"
    )
    action.get_by_label("Zadanie").fill("Rozesłać projekt do konsultacji.")
    action.get_by_label("Odpowiedzialny(-a)").select_option(label="Piotr Ekspert")
    action.get_by_label("Termin").fill("2030-05-20")
    action.get_by_role("button", name="Zapisz zadanie").click()
    expect(secretary.get_by_text("Zadanie zostało zapisane.")).to_be_visible()


def _approve_minutes(chair, meeting_url):
    chair.goto(meeting_url + "minutes/")
    chair.get_by_role("button", name="Zatwierdź protokół").click()
    expect(chair.get_by_text("Protokół został zatwierdzony.")).to_be_visible()
    expect(chair.locator(".fingerprint")).to_have_text(re.compile("^[0-9a-f]{64}$"))
    expect(chair.get_by_text("Kworum osiągnięte")).to_be_visible()


def test_outsider_sees_nothing_of_another_group(person):
    outsider = person("ekspertka@example.org")
    outsider.goto("/pl/workspace/")
    expect(outsider.get_by_role("link", name="Edukacja")).to_be_visible()
    expect(outsider.get_by_role("link", name="Rynek pracy")).to_have_count(0)
