"""The site on a 320 px phone and a 1280 px screen, in Polish, Ukrainian and
English (docs/subsystems/public-programme.md#small-screens): no page scrolls
sideways (WCAG 1.4.10), the header's menu is a disclosure that the keyboard
opens and closes (and that needs no JavaScript), and axe-core finds nothing."""

import pytest
from playwright.sync_api import expect

from documents.models import Draft, RecommendationIndexPage
from home.demo import demo_password
from home.models import ActionPage, MonitoringPage, ProgrammePage
from tests.e2e.helpers import assert_accessible, sign_in
from workgroups.models import Meeting, WorkingGroup

LANGUAGES = ["pl", "uk", "en"]
WIDTHS = [320, 1280]
MENU_LINKS = {"pl": "Zespoły robocze", "uk": "Робочі групи", "en": "Working groups"}
# The demo's working group "Rynek pracy" in each language (workgroups/demo).
LABOUR_MARKET = {"pl": "Rynek pracy", "uk": "Ринок праці", "en": "Labour market"}


def public_paths(language):
    def url_of(model):
        page = model.objects.live().filter(locale__language_code=language).first()
        assert page is not None, f"no {model.__name__} in {language}"
        return page.url

    return [
        f"/{language}/",
        url_of(ProgrammePage),
        url_of(ActionPage),
        url_of(MonitoringPage),
        url_of(RecommendationIndexPage),
        f"/{language}/zespoly/",
        f"/{language}/zespoly/rynek-pracy/",
        f"/{language}/accounts/login/",
    ]


def workspace_paths(language):
    group = WorkingGroup.objects.get(slug="rynek-pracy")
    meeting = Meeting.objects.filter(group=group).order_by("pk").first()
    draft = Draft.objects.filter(group=group).order_by("pk").first()
    return [
        f"/{language}/workspace/",
        f"/{language}/workspace/groups/{group.pk}/",
        f"/{language}/workspace/meetings/{meeting.pk}/",
        f"/{language}/drafts/{draft.pk}/",
    ]


@pytest.fixture(scope="module")
def paths(demo_site, django_db_blocker):
    """{language: (public paths, workspace paths)} of the demo content."""
    with django_db_blocker.unblock():
        return {
            language: (public_paths(language), workspace_paths(language))
            for language in LANGUAGES
        }


@pytest.fixture
def screen(browser, live_server_url):
    """A browser of the given width (and with or without JavaScript)."""
    contexts = []

    def open_at(width, *, javascript=True):
        context = browser.new_context(
            base_url=live_server_url,
            viewport={"width": width, "height": 800},
            java_script_enabled=javascript,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_at
    for context in contexts:
        context.close()


def overflow(page):
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_and_axe_finds_nothing(
    screen, axe, paths, language, width
):
    page = screen(width)
    public, workspace = paths[language]
    for path in public:
        assert page.goto(path).status == 200, path
        assert overflow(page) <= 0, f"{path} at {width} px"
        assert_accessible(axe, page)
    sign_in(page, "przewodniczaca@example.org", demo_password())
    for path in workspace:
        assert page.goto(path).status == 200, path
        assert overflow(page) <= 0, f"{path} at {width} px"
        assert_accessible(axe, page)


def tab_to(page, locator, *, limit=40):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


@pytest.mark.parametrize("javascript", [True, False])
@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_phone_the_keyboard_opens_and_closes_the_menu(
    screen, language, javascript
):
    page = screen(320, javascript=javascript)
    page.goto(f"/{language}/")
    toggle = page.locator("summary.site-menu__toggle")
    link = page.get_by_role("link", name=MENU_LINKS[language])
    expect(link).to_be_hidden()
    header = page.locator(".site-header").bounding_box()["height"]
    assert header < 200, f"the closed header is {header} px high"

    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    assert overflow(page) <= 0
    tab_to(page, link)  # every link of the open menu is on the Tab path
    page.keyboard.press("Shift+Tab")
    for _ in range(40):
        if toggle.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(link).to_be_hidden()

    tab_to(page, toggle)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the menu's first link: the account's
    expect(page).not_to_have_url(f"/{language}/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_wide_screen_the_menu_is_always_open(screen, language):
    page = screen(1280)
    page.goto(f"/{language}/")

    expect(page.locator("summary.site-menu__toggle")).to_be_hidden()
    link = page.get_by_role("link", name=MENU_LINKS[language])
    expect(link).to_be_visible()
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/{language}/zespoly/")
    expect(page.get_by_role("link", name=LABOUR_MARKET[language])).to_be_visible()
