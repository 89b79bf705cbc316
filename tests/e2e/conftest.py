"""Browser tests: Debian's Chromium driven by Playwright against the site
served over ASGI (uvicorn) by a process of the test run's own, on the test
database loaded with the demo content."""

import os
import re
import urllib.request

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from django.core.management import call_command

from deploy.servers import asgi_servers
from home.demo import demo_password
from tests.conftest import restore_migrated_data
from tests.e2e.helpers import sign_in
from tests.utils import site_environment

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# An assertion waits as long as a browser step does (the pages' default
# timeout, below), not Playwright's 5 s: a whole CI run loads both cores.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker):
    """The demo content, committed to the test database once for all browser
    tests (they run after the database tests, which roll back)."""
    with django_db_blocker.unblock():
        restore_migrated_data()
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def email_dir(tmp_path_factory):
    """Where the site's server writes the e-mails it sends."""
    return tmp_path_factory.mktemp("sent-emails")


@pytest.fixture(scope="session")
def live_server_url(demo_site, django_db_blocker, email_dir):
    with django_db_blocker.unblock():
        env = site_environment(PLATFORMA_TEST_EMAIL_DIR=str(email_dir))
    with asgi_servers(1, env) as [port]:
        _warm_up(f"http://127.0.0.1:{port}")
        yield f"http://127.0.0.1:{port}"


def _warm_up(base_url):
    """The server's first answer waits for Django's start-up, its first
    search for the dictionaries it loads in the background (seconds on a busy
    machine); browser steps time out after 10 s, so wait for both here."""
    for path in ("/pl/", "/pl/szukaj/?q=kurs"):
        with urllib.request.urlopen(f"{base_url}{path}", timeout=120) as response:  # noqa: S310 - loopback
            assert response.status == 200


@pytest.fixture(scope="session")
def browser():
    assert os.path.exists(CHROMIUM), "Debian's chromium is not installed"
    # Playwright's sync API keeps an event loop in the main thread; the ORM
    # calls that tests make between browser steps are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server_url):
    context = browser.new_context(base_url=live_server_url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def person(browser, live_server_url):
    """A browser of one's own for each person of the story."""
    contexts = []

    def open_as(email=None, password=None):
        context = browser.new_context(base_url=live_server_url, locale="pl-PL")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if email:
            sign_in(page, email, password or demo_password())
            # Members land in the workspace, anyone else on their account.
            expect(page).to_have_url(re.compile("/pl/(workspace|accounts/profile)/$"))
        return page

    yield open_as
    for context in contexts:
        context.close()
