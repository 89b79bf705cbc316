"""Accessibility sweep: the site's pages, found by following its own links
from the home page (anonymous) and from the workspace's dashboard (the chair
of the demo group), in Polish, Ukrainian and English, each audited with
axe-core (WCAG 2.1 A/AA); and the skip link by keyboard."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from home.demo import demo_password
from tests.e2e.helpers import WCAG_TAGS, sign_in

# Not pages to audit: files, feeds, the admin, downloads and sign-out.
SKIP = re.compile(
    r"^/(admin|documents|media|static|api)/|\.(ics|docx|rss|atom|xml|zip|pdf)$"
    r"|/attachments/\d+/$|/logout/|/invitations/"
)
PUBLIC_STARTS = [
    "",
    "szukaj/?q=kurs",
    "szukaj/?q=nic-takiego",
    "accounts/login/",
    "accounts/signup/",
    "accounts/password/reset/",
    "privacy/",
]
WORKSPACE_STARTS = [
    "workspace/",
    "workspace/groups/1/proposals/",
    "discussion/",
    "drafts/groups/1/",
    "accounts/profile/",
    "accounts/email/",
    "accounts/password/change/",
    "accounts/2fa/",
    "accounts/sessions/",
    "privacy/my-data/",
    "workspace/notifications/",
    "workspace/calendar/",
    "discussion/search/?q=kwalifikacji",
    "discussion/mentions/",
]


def pattern(path):
    """Pages of one kind count once: ids and numbers do not matter."""
    return re.sub(r"\d+", "N", path)


def sweep(page, axe, language, starts, *, limit, stay_in=None):
    """Audits up to ``limit`` pages of distinct kinds, starting at ``starts``
    and following same-origin links; returns {path: axe report} of pages
    with violations and the paths audited."""
    queue = [f"/{language}/{start}" for start in starts]
    kinds, audited, failures = set(), [], {}
    while queue and len(audited) < limit:
        path = queue.pop(0)
        kind = pattern(urlsplit(path).path) + ("?" if "?" in path else "")
        if kind in kinds or SKIP.search(urlsplit(path).path):
            continue
        kinds.add(kind)
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        audited.append(path)
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        if results.violations_count:
            failures[path] = results.generate_report()
        origin = urlsplit(page.url)
        for href in page.locator("a[href]").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        ):
            url = urlsplit(urljoin(page.url, href))
            if url.netloc != origin.netloc or not url.path.startswith(f"/{language}/"):
                continue
            if stay_in and not any(url.path.startswith(p) for p in stay_in):
                continue
            queue.append(url.path + (f"?{url.query}" if url.query else ""))
    return audited, failures


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_public_pages_have_no_wcag_violation(page, axe, language):
    audited, failures = sweep(page, axe, language, PUBLIC_STARTS, limit=12)

    assert len(audited) >= 8, audited
    assert not failures, "\n\n".join(f"{p}\n{r}" for p, r in failures.items())


@pytest.mark.parametrize(("language", "limit"), [("pl", 24), ("uk", 8), ("en", 8)])
def test_workspace_pages_have_no_wcag_violation(page, axe, language, limit):
    sign_in(page, "przewodniczaca@example.org", demo_password())
    audited, failures = sweep(
        page,
        axe,
        language,
        WORKSPACE_STARTS,
        limit=limit,
        stay_in=[
            f"/{language}/{part}/"
            for part in ("workspace", "discussion", "drafts", "accounts", "privacy")
        ],
    )

    assert len(audited) >= limit * 2 // 3, audited
    assert not failures, "\n\n".join(f"{p}\n{r}" for p, r in failures.items())


def test_keyboard_user_reaches_main_content_through_the_skip_link(page):
    page.goto("/pl/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Przejdź do treści głównej")
    assert skip_link.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
