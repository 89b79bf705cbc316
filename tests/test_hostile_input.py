"""Every form of the site posted with hostile data through the real views
(tests/hostile.py): no server error, a clear error for bad input, no partial
write. The forms are data, one list per app: tests/home/hostile_forms.py,
tests/workgroups/hostile_forms.py, tests/documents/hostile_forms.py."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents import hostile_forms as documents
from tests.home import hostile_forms as home
from tests.hostile import (
    check_answer,
    group_with_form_targets,
    hostile_text,
    quote_text,
    rolled_back,
    run_endpoint,
    run_endpoint_with_nul,
    sign_in_as,
    table_counts,
)
from tests.workgroups import hostile_forms as workgroups

pytestmark = pytest.mark.django_db

# "app:form" → Endpoint; the test ids name the app and the form.
FORMS = {
    f"{app.__name__.split('.')[1]}:{name}": endpoint
    for app in (home, workgroups, documents)
    for name, endpoint in app.ENDPOINTS.items()
}


@pytest.fixture(name="group_with_form_targets")
def group_with_form_targets_fixture():
    return group_with_form_targets()


@pytest.mark.parametrize("name", FORMS)
@given(data=st.data())
def test_form_survives_hostile_input(client, group_with_form_targets, name, data):
    sign_in_as(client, group_with_form_targets, FORMS[name])
    run_endpoint(client, group_with_form_targets, FORMS[name], data)


@pytest.mark.parametrize("name", FORMS)
@settings(max_examples=1)
@given(data=st.data())
def test_form_refuses_or_drops_a_nul_in_any_field(
    client, group_with_form_targets, name, data
):
    sign_in_as(client, group_with_form_targets, FORMS[name])
    run_endpoint_with_nul(client, group_with_form_targets, FORMS[name], data)


@given(token=hostile_text)
def test_invitation_link_with_a_forged_token_gets_a_clear_page(client, token):
    response = client.get(f"/pl/workspace/invitations/{quote_text(token)}/")

    assert response.status_code == 404


# Every public route that takes a token, a key, a slug or a name in its
# path, each with a NUL in it (PostgreSQL cannot compare such text).
PUBLIC_ROUTES_WITH_A_NUL = [
    "/pl/subskrypcja/wypisz/a%00b/",
    "/pl/subskrypcja/potwierdz/a%00b/",
    "/pl/workspace/invitations/a%00b/",
    "/pl/workspace/calendar/a%00b.ics",
    "/pl/accounts/password/reset/key/1-a%00b/",
    "/pl/accounts/confirm-email/a%00b/",
    "/pl/zespoly/a%00b/",
    "/pl/a%00b/",
    "/documents/1/a%00b.pdf",
]


@pytest.mark.parametrize("url", PUBLIC_ROUTES_WITH_A_NUL)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_a_public_link_is_refused_cleanly(client, url, method):
    before = table_counts()

    response = getattr(client, method)(url)

    assert 200 <= response.status_code < 500
    assert table_counts() == before


@given(name=documents.file_names, content=documents.contents)
def test_attachment_upload_survives_hostile_names_and_contents(
    client, group_with_form_targets, name, content
):
    client.force_login(group_with_form_targets.users["chair"])
    # Names must be text a browser could send.
    name = name.encode("utf-8", "replace").decode() or "plik"
    with rolled_back():
        before = table_counts()
        response = client.post(
            f"/pl/drafts/{group_with_form_targets.draft.pk}/attachments/",
            {"file": SimpleUploadedFile(name, content)},
        )
        outcome = check_answer(response, before)
        # A request the parser refuses whole (a name too long) is a 400.
        assert outcome.errors or outcome.successes or response.status_code == 400
