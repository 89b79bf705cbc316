"""Every link that leaves a request behind (e-mails, calendar files, the API,
the sitemap) is on the site's address, ``BASE_URL``
(home/urls_absolute.py, docs/development.md#absolute-urls), and moves with it."""

import os
import re
import subprocess

import pytest
from icalendar import Calendar

from django.core import mail
from django.urls import reverse

from wagtail.models import Site

from home.demo import _ensure_site_address
from tests.pages import home_page, programme_tree, translate
from tests.workgroups.factories import MeetingFactory, MembershipFactory
from workgroups.models import Membership
from workgroups.services import invitations

pytestmark = pytest.mark.django_db

ADDRESSES = ["http://testserver", "https://platforma.example.org:8443"]


@pytest.fixture(params=ADDRESSES)
def base_url(request, settings):
    settings.BASE_URL = request.param
    return request.param


def test_the_invitation_e_mail_links_to_the_base_url(
    base_url, django_capture_on_commit_callbacks
):
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    with django_capture_on_commit_callbacks(execute=True):
        _, token = invitations.invitation_create(
            actor=chair.user, group=chair.group, email="nowa@example.org"
        )

    link = f"{base_url}{reverse('workgroups:invitation', args=[token])}"
    assert link in mail.outbox[0].body
    assert "127.0.0.1:8000" not in mail.outbox[0].body


def test_calendar_files_and_the_feed_address_use_the_base_url(client, base_url):
    membership = MembershipFactory()
    meeting = MeetingFactory(group=membership.group)
    client.force_login(membership.user)

    ics = client.get(reverse("workgroups:meeting_ics", args=[meeting.pk]))
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    settings_page = client.post(reverse("workgroups:calendar")).text

    assert str(event["url"]) == f"{base_url}{meeting.get_absolute_url()}"
    assert re.search(
        rf"{re.escape(base_url)}/pl/workspace/calendar/\S+\.ics", settings_page
    )


def test_the_api_and_the_sitemap_use_the_base_url(client, base_url):
    tree = programme_tree(directions=1)
    translate(home_page(), "uk")
    programme = tree["programme"]

    listing = client.get("/api/v2/pages/", {"limit": 50}).json()["items"]
    detail = client.get(f"/api/v2/pages/{programme.pk}/").json()
    sitemap = client.get("/sitemap.xml").content.decode()

    metas = [item["meta"] for item in listing] + [detail["meta"]]
    for meta in metas:
        assert meta["html_url"].startswith(f"{base_url}/"), meta
        assert meta["detail_url"].startswith(f"{base_url}/api/v2/pages/"), meta
    assert detail["meta"]["html_url"] == f"{base_url}{programme.url}"
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    alternates = re.findall(r'hreflang="uk" href="([^"]+)"', sitemap)
    assert f"{base_url}{programme.url}" in locations
    assert alternates and all(
        url.startswith(f"{base_url}/") for url in locations + alternates
    )


def test_load_demo_gives_the_wagtail_site_the_base_urls_host_and_port(settings):
    home = home_page()
    settings.BASE_URL = "http://127.0.0.1:8123"

    _ensure_site_address()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    assert home.full_url == "http://127.0.0.1:8123/pl/"


def _fake_environment(folder):
    """A virtual environment whose programs (python, pybabel) only
    say which BASE_URL they were given, so ``make run`` runs in a moment."""
    (folder / "bin").mkdir()
    for program in ("python", "pybabel"):
        path = folder / "bin" / program
        path.write_text('#!/bin/sh\necho "BASE_URL=$BASE_URL"\n')
        path.chmod(0o755)
    (folder / ".installed").touch()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "http://127.0.0.1:8123"), ({"BASE_URL": "https://x.example"}, None)],
)
def test_make_run_derives_base_url_from_port_unless_given(
    tmp_path, environment, expected
):
    from django.conf import settings

    _fake_environment(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"} | environment
    ran = subprocess.run(
        ["make", "-s", "run", "PORT=8123", f"VENV={tmp_path}"],  # noqa: S607
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    base_url = expected or environment["BASE_URL"]
    seen = [line for line in ran.stdout.splitlines() if line.startswith("BASE_URL=")]
    # migrate, createcachetable, load_demo, collectstatic and the server
    assert seen.count(f"BASE_URL={base_url}") >= 5, ran.stdout
    assert set(seen) == {f"BASE_URL={base_url}"}
    assert f"Serving {base_url}/pl/" in ran.stdout
