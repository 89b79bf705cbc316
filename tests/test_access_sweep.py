"""docs/security.md, AC-01: every URL pattern of the site, every page of the tree and
every WebSocket route, requested as each role and compared with one declared
table. A URL pattern without an entry fails its test, which prints what each
role gets so that the entry can be written (docs/testing.md#the-access-sweep)."""

import base64
import uuid
from unittest import mock

import pytest
from asgiref.sync import async_to_sync

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from documents.services import details_fingerprint
from tests import sweep
from tests.sweep import (
    ADMIN_HOME,
    ADMIN_LOGIN,
    FORBIDDEN,
    FOUND,
    LOGIN,
    MANAGERS,
    MEMBERS,
    NOT_ALLOWED,
    NOT_FOUND,
    NOT_FOUND_PL,
    OK,
    PROFILE,
    REAUTHENTICATE,
    ROLES,
    SERVER_ERROR,
    SIGN_IN,
    WRITERS,
    Expect,
    by_role,
    private,
    public,
    redirect,
)
from tests.workgroups.discussion_helpers import open_socket, send


def deciders_only(expect):
    """``expect`` with the secretary refused outright (403)."""
    expect.answers["secretary"] = FORBIDDEN
    return expect


def signed_in(answer=OK, **per_role):
    """Any signed-in person; anonymous readers are asked to sign in."""
    return public(answer, **{"anon": LOGIN, **per_role})


def admin_view(editor=OK, admin=OK, **options):
    """A Wagtail admin URL: whoever may not enter the admin is sent to sign in
    (``require_admin_access``); ``args`` come from ``sweep.ADMIN_KEYWORDS``."""
    answers = dict.fromkeys(ROLES, LOGIN)
    answers.update(editor=editor, admin=admin)
    options.setdefault("args", None)
    return Expect(answers, **options)


def _range_comment(w):
    """A comment on a phrase of the draft, anchored as the editor does."""
    from documents.live import anchors
    from documents.live import store as live_store

    start, end = anchors.text_range(live_store.load(w.draft.pk), "rugi")
    return {
        "anchor_start": base64.b64encode(start).decode(),
        "anchor_end": base64.b64encode(end).decode(),
        "text": "Uwaga do fragmentu",
    }


def _upload(world):
    return {"file": SimpleUploadedFile("plik.pdf", sweep.PDF)}


def _message(world):
    return {"body": "Nowa wiadomość", "client_id": str(uuid.uuid4())}


ADMIN_ONLY = ADMIN_HOME  # editors are refused inside the admin
WORKSPACE = sweep.Answer(302, "/pl/workspace/", "redirect to the workspace")
ADMIN_DASHBOARD = sweep.Answer(302, "/admin/", "redirect to the admin dashboard")
# The outsider (a chair elsewhere) lands in the workspace; the former member
# (in no group), whose answer ENDED says is the outsider's, on the account page.
LANDING = sweep.Answer(302, "/pl/", "redirect to the workspace or the account page")


def signed_in_lands(anon=OK):
    """A sign-in page: whoever is signed in already goes where signing in
    lands them (home/adapters.py)."""
    return public(
        PROFILE,
        anon=anon,
        outsider=LANDING,
        **dict.fromkeys(MEMBERS, WORKSPACE),
        editor=ADMIN_DASHBOARD,
        admin=ADMIN_DASHBOARD,
    )


# Every URL pattern of the site → what each role gets. Keys are URL names, or
# the pattern itself when it has no name or shares it (the failing test says
# which). Args name objects of the world (``sweep.build_world``).
ROUTES_TABLE = {
    # --- public site, feeds, API, sitemap ----------------------------------
    "sitemap.xml": public(path="/sitemap.xml"),
    "home:search": public(query="q=program"),
    "home:feed_rss": public(),
    "home:feed_atom": public(),
    "home:account": signed_in(),
    # The public's e-mail subscription: a form, and pages the mails link to
    # (a link that is not valid answers 400 or 404 whoever asks).
    "home:subscribe": public(),
    "home:subscription_confirm": public(sweep.BAD_REQUEST, args=lambda w: ["x"]),
    "home:unsubscribe": public(NOT_FOUND, args=lambda w: ["x"]),
    "wagtailapi:pages:listing": public(),
    "wagtailapi:pages:detail": public(args="action_page"),
    "wagtailapi:pages:find": public(NOT_FOUND_PL),
    "wagtail_serve": public(args=lambda w: [""]),  # pages: PAGES_TABLE below
    # Wagtail's front-end login form is replaced by allauth's (AU-03, AU-04).
    "<lang>/_util/login/": public(SIGN_IN, path="/pl/_util/login/"),
    "wagtailcore_login": public(SIGN_IN),
    "wagtailcore_authenticate_with_password": public(
        NOT_FOUND, args=lambda w: [sweep.MISSING, w.login_page.pk]
    ),
    # --- documents (Wagtail's serve view: members of the group only) -------
    "wagtaildocs_serve": private(
        MEMBERS,
        args=lambda w: [w.document.pk, w.document.filename],
        anon=NOT_FOUND,
    ),
    "wagtaildocs_authenticate_with_password": public(
        NOT_FOUND_PL, args=lambda w: [sweep.MISSING]
    ),
    # --- privacy ---------------------------------------------------------------
    "privacy:notice": public(),
    "privacy:personal_data": signed_in(),
    "privacy:download": signed_in(REAUTHENTICATE, method="post"),
    "privacy:erase": signed_in(REAUTHENTICATE, method="post"),
    "privacy:person_data": signed_in(NOT_FOUND, args="expert_user", admin=OK),
    "privacy:person_download": signed_in(
        NOT_FOUND, args="expert_user", method="post", admin=REAUTHENTICATE
    ),
    "privacy:person_erase": signed_in(
        NOT_FOUND, args="expert_user", method="post", admin=REAUTHENTICATE
    ),
    # --- accounts (allauth) --------------------------------------------------
    "account_login": signed_in_lands(),
    "account_logout": signed_in(anon=redirect("/")),
    "account_inactive": public(),
    "<lang>/accounts/signup/": signed_in_lands(),
    "account_reauthenticate": signed_in(),
    "account_email": signed_in(),
    "account_email_verification_sent": public(),
    "account_change_password": signed_in(),
    "account_set_password": signed_in(redirect("/pl/accounts/password/change/")),
    "account_reset_password": public(),
    "account_confirm_login_code": signed_in_lands(anon=SIGN_IN),
    "account_confirm_email": public(args=lambda w: ["not-a-key"]),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": public(args=lambda w: ["1", "not-a-key"]),
    "account_reset_password_done": public(),
    # Setting up a second factor starts with a code sent by e-mail; who has
    # one already goes on to allauth's set-up.
    "second_factor_enrol": signed_in(
        editor=redirect("/pl/accounts/2fa/totp/activate/"),
        admin=redirect("/pl/accounts/2fa/totp/activate/"),
    ),
    "mfa_index": signed_in(),
    "mfa_authenticate": signed_in_lands(anon=SIGN_IN),
    "mfa_reauthenticate": signed_in(REAUTHENTICATE, editor=OK, admin=OK),
    "mfa_activate_totp": signed_in(REAUTHENTICATE),
    "mfa_deactivate_totp": signed_in(
        NOT_FOUND, editor=REAUTHENTICATE, admin=REAUTHENTICATE
    ),
    "mfa_view_recovery_codes": signed_in(NOT_FOUND),
    "mfa_generate_recovery_codes": signed_in(REAUTHENTICATE),
    "mfa_download_recovery_codes": signed_in(NOT_FOUND),
    "usersessions_list": signed_in(),
    # --- the workspace -------------------------------------------------------
    "workgroups:dashboard": signed_in(),
    "workgroups:notifications": signed_in(),
    "workgroups:notifications_read": signed_in(FOUND, method="post"),
    "workgroups:calendar": signed_in(),
    "workgroups:calendar_feed": public(NOT_FOUND, args=lambda w: ["not-a-token"]),
    "workgroups:invitation": public(NOT_FOUND, args=lambda w: ["not-a-token"]),
    "workgroups:group": private(MEMBERS, args="group_a"),
    "workgroups:decisions": private(MEMBERS, args="group_a", query="q=decyzja"),
    "workgroups:invitations": private({"chair"}, args="group_a"),
    "workgroups:invitation_revoke": private(
        {"chair"}, FOUND, args="group_a invitation", method="post"
    ),
    "workgroups:invitation_resend": private(
        {"chair"}, FOUND, args="group_a invitation", method="post"
    ),
    "workgroups:meeting_create": private(MANAGERS, args="group_a"),
    "workgroups:meeting": private(MEMBERS, args="meeting"),
    "workgroups:meeting_edit": private(MANAGERS, args="meeting"),
    "workgroups:meeting_discussion": private(MEMBERS, FOUND, args="meeting"),
    "workgroups:meeting_cancel": private(
        MANAGERS, FOUND, args="draft_meeting", method="post"
    ),
    "workgroups:meeting_ics": private(MEMBERS, args="meeting"),
    "workgroups:agenda_add": private(
        MANAGERS,
        FOUND,
        args="draft_meeting",
        method="post",
        data={"title": "Nowy", "duration_minutes": 5},
    ),
    "workgroups:agenda_reorder": private(
        MANAGERS,
        FOUND,
        args="draft_meeting",
        method="post",
        data=lambda w: {"order": str(w.draft_item.pk), "version": 0},
    ),
    "workgroups:agenda_remove": private(
        MANAGERS, FOUND, args="draft_meeting draft_item", method="post"
    ),
    "workgroups:rsvp": private(
        WRITERS, FOUND, args="meeting", method="post", data={"answer": "yes"}
    ),
    "workgroups:attendance": private(
        MANAGERS, FOUND, args="draft_meeting", method="post"
    ),
    "workgroups:conflict_declare": private(
        WRITERS,
        FOUND,
        args="draft_meeting",
        method="post",
        data=lambda w: {
            "agenda_item": w.draft_item.pk,
            "description": "x",
            "recused": "on",
        },
    ),
    "workgroups:minutes_start": private(MANAGERS, FOUND, args="meeting", method="post"),
    "workgroups:minutes": private(MEMBERS, args="meeting"),
    "workgroups:minutes_edit": private(MANAGERS, args="draft_meeting"),
    "workgroups:decision_add": private(
        MANAGERS,
        FOUND,
        args="draft_meeting",
        method="post",
        data=lambda w: {
            "decision-agenda_item": w.draft_item.pk,
            "decision-text": "X",
            "decision-method": "consensus",
        },
    ),
    "workgroups:action_add": private(
        MANAGERS,
        FOUND,
        args="draft_meeting",
        method="post",
        data=lambda w: {
            "action-agenda_item": w.draft_item.pk,
            "action-description": "X",
            "action-owner": w.expert_user.pk,
            "action-due_date": "2030-01-01",
        },
    ),
    "workgroups:minutes_approve": private(
        {"chair"}, FOUND, args="draft_meeting", method="post", data={"version": 0}
    ),
    "workgroups:minutes_correct": private(
        MANAGERS, FOUND, args="meeting", method="post", data={"reason": "Błąd"}
    ),
    "workgroups:minutes_history": private(MEMBERS, args="meeting"),
    "workgroups:minutes_export": private(MEMBERS, args="meeting"),
    "workgroups:action_status": private(
        WRITERS, FOUND, args="action", method="post", data={"status": "done"}
    ),
    # --- proposals and votes ----------------------------------------------------
    "workgroups:proposals": private(MEMBERS, args="group_a"),
    "workgroups:proposal_create": private(MANAGERS, args="group_a"),
    "workgroups:proposal": private(MEMBERS, args="proposal"),
    "workgroups:proposal_results": private(MEMBERS, args="proposal"),
    "workgroups:proposal_vote": private(
        WRITERS, FOUND, args="proposal", method="post", data={"choice": "agree"}
    ),
    "workgroups:proposal_close": private(
        MANAGERS, FOUND, args="proposal", method="post"
    ),
    "workgroups:proposal_conflict": private(
        WRITERS, FOUND, args="proposal", method="post", data={"description": "x"}
    ),
    # --- drafts ----------------------------------------------------------------
    "documents:group_drafts": private(MEMBERS, args="group_a"),
    "documents:agenda_link": private(
        MANAGERS,
        FOUND,
        args="item",
        method="post",
        data=lambda w: {"draft": w.draft.pk},
    ),
    "documents:detail": private(MEMBERS, args="draft"),
    "documents:edit": private(WRITERS, args="draft"),
    "documents:live_save": private(
        WRITERS, FOUND, args="draft", method="post", data={"note": "Wersja"}
    ),
    # The chair and the draft's creator (the expert) decide suggestions; the
    # secretary writes but may not decide (403); an observer gets 404.
    "documents:suggestion_decide": deciders_only(
        private(
            {"chair", "expert"},
            FOUND,
            args="draft",
            method="post",
            data={"decision": "reject"},
        )
    ),
    "documents:details": private(
        WRITERS,
        FOUND,
        args="draft",
        method="post",
        data=lambda w: {
            "details-title": w.draft.title,
            "details-base": details_fingerprint(w.draft),
        },
    ),
    "documents:versions": private(MEMBERS, args="draft"),
    "documents:presence": private(MEMBERS, args="draft", method="post"),
    "documents:print": private(MEMBERS, args="draft"),
    "documents:export_docx": private(MEMBERS, args="draft"),
    "documents:compare": private(MEMBERS, args="draft", query="a=1&b=2"),
    "documents:restore": private(
        WRITERS,
        FOUND,
        args=lambda w: [w.draft.pk, 1],
        method="post",
        data={"base_version": 2},
    ),
    "documents:comment": private(
        WRITERS,
        FOUND,
        args="draft",
        method="post",
        data=lambda w: _range_comment(w),
    ),
    "documents:comment_resolve": private(
        WRITERS, FOUND, args="draft comment", method="post", data={"resolved": "1"}
    ),
    "documents:attachment_upload": private(
        WRITERS, FOUND, args="draft", method="post", data=_upload
    ),
    "documents:attachment": private(MEMBERS, args="draft attachment"),
    # Opens (or first makes) the draft's thread: a redirect into the room.
    "documents:discussion": private(MEMBERS, FOUND, args="draft"),
    "documents:review": private(
        MANAGERS, FOUND, args=lambda w: [w.draft.pk, "submit"], method="post"
    ),
    # --- public profiles of the working groups ---------------------------------
    "groups:list": public(),
    "groups:profile": public(args=lambda w: [w.group_a.slug]),
    # --- live discussion -------------------------------------------------------
    "discussion:rooms": signed_in(),
    # Finds group A's message for its members, group B's for the outsider.
    "discussion:search": signed_in(query="q=wiadomość"),
    "discussion:mentions": signed_in(),
    "discussion:room": private(MEMBERS, args="group_a"),
    "discussion:topic": private(MEMBERS, args="group_a topic"),
    "discussion:topic_manage": private(
        {"chair"},
        FOUND,
        args="group_a topic",
        method="post",
        data={"action": "close"},
        members=FORBIDDEN,
    ),
    "discussion:history": private(MEMBERS, args="group_a topic"),
    # The form opens for every member; only its author may send it.
    # Only the author edits; the form shows nobody else the text.
    "discussion:message_edit": private({"expert"}, args="group_a message"),
    "discussion:message_delete": private(
        {"expert"}, FOUND, args="group_a message", method="post", members=FORBIDDEN
    ),
    "discussion:message_hide": private(
        {"chair"}, FOUND, args="group_a message", method="post", members=FORBIDDEN
    ),
    # --- the Wagtail admin (AC-05): only editors and the superuser enter; the
    # editors' rights end at the public programme (drafts' files, collections,
    # users, groups, settings and workgroup snippets are refused).
    "admin/login/": public(SIGN_IN, path="/admin/login/"),
    "wagtailadmin_login": public(SIGN_IN),
    "admin/test404/": admin_view(path="/admin/test404/"),
    "admin/^.*/$": public(
        ADMIN_LOGIN,
        path="/admin/no-such-page/",
        editor=NOT_FOUND_PL,
        admin=NOT_FOUND_PL,
    ),
    "wagtailadmin_sprite": public(),
    "wagtailadmin_javascript_catalog": public(),
    "wagtailadmin_password_reset": public(NOT_FOUND_PL),
    "wagtailadmin_password_reset_done": public(NOT_FOUND_PL),
    "wagtailadmin_password_reset_confirm": public(NOT_FOUND_PL, args=None),
    "wagtailadmin_password_reset_complete": public(NOT_FOUND_PL),
    "wagtailadmin_api:pages:action": admin_view(
        NOT_ALLOWED,
        NOT_ALLOWED,
        args=lambda w: {"pk": w.action_page.pk, "action_name": "copy"},
    ),
    "wagtail_bulk_action": admin_view(
        NOT_FOUND_PL, NOT_FOUND_PL, args=lambda w: ["wagtailcore", "page", "delete"]
    ),
    # The editors are the approvers of the workflow the direction page is in.
    "wagtailadmin_pages:workflow_action": admin_view(
        args=lambda w: {
            "page_id": w.direction.pk,
            "action_name": "approve",
            "task_state_id": w.task_state.pk,
        },
    ),
    "wagtailadmin_pages:collect_workflow_action_data": admin_view(
        args=lambda w: {
            "page_id": w.direction.pk,
            "action_name": "approve",
            "task_state_id": w.task_state.pk,
        },
    ),
    "simple_translation:submit_snippet_translation": admin_view(
        args=lambda w: ["home", "infopoint", w.info_point.pk]
    ),
    "wagtailadmin_home": admin_view(),
    # Wagtail's page for testing error reports raises on purpose.
    "wagtailadmin_error_test": admin_view(SERVER_ERROR, SERVER_ERROR),
    "wagtailadmin_api:pages:listing": admin_view(),
    "wagtailadmin_api:pages:detail": admin_view(),
    "wagtailadmin_api:pages:find": admin_view(editor=NOT_FOUND_PL, admin=NOT_FOUND_PL),
    "wagtailadmin_api:documents:listing": admin_view(),
    "wagtailadmin_api:documents:detail": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailadmin_api:documents:find": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailadmin_api:images:listing": admin_view(),
    "wagtailadmin_api:images:detail": admin_view(),
    "wagtailadmin_api:images:find": admin_view(editor=NOT_FOUND_PL, admin=NOT_FOUND_PL),
    "wagtailadmin_explore_root": admin_view(),
    "wagtailadmin_explore": admin_view(),
    "wagtailadmin_explore_results": admin_view(),
    "wagtailadmin_pages:add": admin_view(editor=ADMIN_ONLY, admin=ADMIN_ONLY),
    "wagtailadmin_pages:preview_on_add": admin_view(),
    "wagtailadmin_pages:type_use": admin_view(),
    "wagtailadmin_pages:choose_parent": admin_view(
        editor=redirect("/admin/pages/add/home/actionpage/"),
        admin=redirect("/admin/pages/add/home/actionpage/"),
    ),
    "wagtailadmin_pages:type_use_results": admin_view(),
    "wagtailadmin_pages:usage": admin_view(),
    "wagtailadmin_pages:edit": admin_view(),
    "wagtailadmin_pages:preview_on_edit": admin_view(),
    "wagtailadmin_pages:view_draft": admin_view(),
    "wagtailadmin_pages:add_subpage": admin_view(),
    # Editors publish the programme: they delete, unpublish, move, set
    # privacy, unschedule, lock and translate pages (home migration 0006).
    "wagtailadmin_pages:delete": admin_view(),
    "wagtailadmin_pages:unpublish": admin_view(),
    "wagtailadmin_pages:convert_alias": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailadmin_pages:search": admin_view(),
    "wagtailadmin_pages:search_results": admin_view(),
    "wagtailadmin_pages:move": admin_view(),
    "wagtailadmin_pages:move_confirm": admin_view(),
    "wagtailadmin_pages:set_page_position": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtailadmin_pages:copy": admin_view(),
    "wagtailadmin_pages:confirm_workflow_cancellation": admin_view(),
    "wagtailadmin_pages:workflow_preview": admin_view(
        editor=ADMIN_ONLY, admin=ADMIN_ONLY
    ),
    "wagtailadmin_pages:set_privacy": admin_view(),
    "wagtailadmin_pages:lock": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtailadmin_pages:unlock": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtailadmin_pages:revisions_index": admin_view(
        editor=redirect("/admin/pages/"), admin=redirect("/admin/pages/")
    ),
    "wagtailadmin_pages:revisions_view": admin_view(),
    "wagtailadmin_pages:revisions_revert": admin_view(),
    "wagtailadmin_pages:revisions_unschedule": admin_view(),
    "wagtailadmin_pages:revisions_compare": admin_view(),
    "wagtailadmin_pages:workflow_history": admin_view(),
    "wagtailadmin_pages:workflow_history_detail": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailadmin_pages:history": admin_view(),
    "wagtailadmin_pages:history_results": admin_view(),
    "wagtailadmin_choose_page": admin_view(),
    "wagtailadmin_choose_page_child": admin_view(),
    "wagtailadmin_choose_page_search": admin_view(),
    "wagtailadmin_choose_page_chosen_multiple": admin_view(),
    "wagtailadmin_choose_page_external_link": admin_view(),
    "wagtailadmin_choose_page_email_link": admin_view(),
    "wagtailadmin_choose_page_phone_link": admin_view(),
    "wagtailadmin_choose_page_anchor_link": admin_view(),
    "wagtailadmin_tag_autocomplete": admin_view(),
    "wagtailadmin_tag_model_autocomplete": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailadmin_collections:index": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_collections:add": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_collections:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_collections:delete": admin_view(editor=NOT_FOUND_PL),
    "wagtailadmin_collections:set_privacy": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:index": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:index_results": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:add": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:enable": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtailadmin_workflows:disable": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:usage": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:usage_results": admin_view(editor=ADMIN_ONLY),
    "admin/workflows/remove/<int:page_pk>/": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "admin/workflows/remove/<int:page_pk>/<int:workflow_pk>/": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtailadmin_workflows:add_task": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailadmin_workflows:select_task_type": admin_view(
        editor=ADMIN_ONLY, admin=redirect("/admin/workflows/tasks/add/")
    ),
    "wagtailadmin_workflows:task_index": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:task_index_results": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:edit_task": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:disable_task": admin_view(editor=ADMIN_ONLY),
    "wagtailadmin_workflows:enable_task": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtailadmin_workflows:task_chooser": admin_view(),
    "wagtailadmin_workflows:task_chooser_results": admin_view(),
    "wagtailadmin_workflows:task_chooser_create": admin_view(),
    "wagtailadmin_workflows:task_chosen": admin_view(),
    "wagtailadmin_reports:locked_pages": admin_view(),
    "wagtailadmin_reports:locked_pages_results": admin_view(),
    "wagtailadmin_reports:workflow": admin_view(),
    "wagtailadmin_reports:workflow_results": admin_view(),
    "wagtailadmin_reports:workflow_tasks": admin_view(),
    "wagtailadmin_reports:workflow_tasks_results": admin_view(),
    "wagtailadmin_reports:site_history": admin_view(),
    "wagtailadmin_reports:site_history_results": admin_view(),
    # The same two URLs, served by the site's own view (no private files).
    "admin/reports/site-history/": admin_view(path="/admin/reports/site-history/"),
    "admin/reports/site-history/results/": admin_view(
        path="/admin/reports/site-history/results/"
    ),
    "wagtailadmin_reports:aging_pages": admin_view(),
    "wagtailadmin_reports:aging_pages_results": admin_view(),
    "wagtailadmin_reports:page_types_usage": admin_view(),
    "wagtailadmin_reports:page_types_usage_results": admin_view(),
    "wagtailadmin_account": admin_view(),
    "wagtailadmin_logout": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtailadmin_dismissibles": admin_view(),
    "wagtailadmin_editing_sessions:ping": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtailadmin_editing_sessions:release": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtailadmin_block_preview": admin_view(editor=NOT_FOUND_PL, admin=NOT_FOUND_PL),
    "wagtailforms:index": admin_view(),
    "wagtailforms:index_results": admin_view(),
    "wagtailforms:list_submissions": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailforms:list_submissions_results": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailforms:delete_submissions": admin_view(editor=ADMIN_ONLY, admin=ADMIN_ONLY),
    "wagtailredirects:index": admin_view(editor=ADMIN_ONLY),
    "wagtailredirects:index_results": admin_view(editor=ADMIN_ONLY),
    "wagtailredirects:add": admin_view(editor=ADMIN_ONLY),
    "wagtailredirects:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailredirects:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailredirects:start_import": admin_view(editor=ADMIN_ONLY),
    "wagtailredirects:process_import": admin_view(editor=ADMIN_ONLY, admin=NOT_ALLOWED),
    "admin/settings/<slug:app_name>/<slug:model_name>/": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailsettings:preview_on_edit": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "simple_translation:submit_page_translation": admin_view(),
    "home_translations:export": admin_view(
        args=lambda w: {"page_id": w.action_page.pk, "language": "uk"}
    ),
    "home_translations:import": admin_view(
        args=lambda w: {"page_id": w.action_page.pk, "language": "uk"}
    ),
    "home_translations:info_point_export": admin_view(
        args=lambda w: {"pk": w.info_point.pk, "language": "uk"}
    ),
    "home_translations:info_point_import": admin_view(
        args=lambda w: {"pk": w.info_point.pk, "language": "uk"}
    ),
    "wagtailembeds:chooser": admin_view(),
    "wagtailembeds:chooser_upload": admin_view(),
    "wagtailsnippets:index": admin_view(editor=ADMIN_ONLY, admin=ADMIN_ONLY),
    "wagtaildocs:index": admin_view(),
    "wagtaildocs:index_results": admin_view(),
    "wagtaildocs:add": admin_view(),
    "wagtaildocs:edit": admin_view(editor=ADMIN_ONLY),
    "wagtaildocs:delete": admin_view(editor=ADMIN_ONLY),
    "wagtaildocs:add_multiple": admin_view(),
    "wagtaildocs:edit_multiple": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtaildocs:create_multiple_from_uploaded_document": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtaildocs:delete_multiple": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtaildocs:delete_upload_multiple": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtaildocs:document_usage": admin_view(editor=ADMIN_ONLY),
    "wagtailimages:index": admin_view(),
    "wagtailimages:index_results": admin_view(),
    "wagtailimages:edit": admin_view(),
    "wagtailimages:delete": admin_view(),
    "wagtailimages:url_generator": admin_view(editor=NOT_FOUND_PL, admin=NOT_FOUND_PL),
    "wagtailimages:url_generator_output": admin_view(
        editor=NOT_FOUND_PL, admin=NOT_FOUND_PL
    ),
    "wagtailimages:preview": admin_view(),
    "wagtailimages:add": admin_view(),
    "wagtailimages:image_usage": admin_view(),
    "wagtailimages:add_multiple": admin_view(),
    "wagtailimages:edit_multiple": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtailimages:create_multiple_from_uploaded_image": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    "wagtailimages:delete_multiple": admin_view(editor=NOT_ALLOWED, admin=NOT_ALLOWED),
    "wagtailimages:delete_upload_multiple": admin_view(
        editor=NOT_ALLOWED, admin=NOT_ALLOWED
    ),
    # The e-mail outbox: administrators read it, nobody edits it.
    "outbox:index": admin_view(editor=ADMIN_ONLY),
    "outbox:index_results": admin_view(editor=ADMIN_ONLY),
    "outbox:inspect": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_home_infopoint:list": admin_view(),
    "wagtailsnippets_home_infopoint:list_results": admin_view(),
    "wagtailsnippets_home_infopoint:add": admin_view(),
    "wagtailsnippets_home_infopoint:edit": admin_view(),
    "wagtailsnippets_home_infopoint:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_home_infopoint:usage": admin_view(),
    "wagtailsnippets_home_infopoint:history": admin_view(),
    "wagtailsnippets_home_infopoint:history_results": admin_view(),
    "wagtailsnippets_home_infopoint:copy": admin_view(),
    "wagtailsnippets_home_infopoint:revisions_compare": admin_view(),
    "wagtailsnippets_home_infopoint:revisions_revert": admin_view(
        args=lambda w: {
            "pk": w.info_point.pk,
            "revision_id": w.info_point.revisions.earliest("created_at").pk,
        }
    ),
    "wagtailsnippetchoosers_home_infopoint:choose": admin_view(),
    "wagtailsnippetchoosers_home_infopoint:choose_results": admin_view(),
    "wagtailsnippetchoosers_home_infopoint:chosen": admin_view(),
    "wagtailsnippetchoosers_home_infopoint:chosen_multiple": admin_view(),
    "wagtailsnippetchoosers_home_infopoint:create": admin_view(),
    "wagtailsnippets_workgroups_workinggroup:list": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_workinggroup:list_results": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_workinggroup:add": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_workinggroup:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_workinggroup:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_workinggroup:usage": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_workinggroup:history": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_workinggroup:history_results": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_workinggroup:copy": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippetchoosers_workgroups_workinggroup:choose": admin_view(),
    "wagtailsnippetchoosers_workgroups_workinggroup:choose_results": admin_view(),
    "wagtailsnippetchoosers_workgroups_workinggroup:chosen": admin_view(),
    "wagtailsnippetchoosers_workgroups_workinggroup:chosen_multiple": admin_view(),
    "wagtailsnippetchoosers_workgroups_workinggroup:create": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_membership:list": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:list_results": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:add": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:usage": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:history": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_membership:history_results": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_membership:copy": admin_view(editor=ADMIN_ONLY),
    # Wagtail's snippet choosers check admin access only: editors can list
    # memberships (names, groups, roles) here though they may not edit them.
    # Declared as it is today; whether editors should is the lead's decision.
    # Editors choose working groups, not memberships (AC-05).
    "wagtailsnippetchoosers_workgroups_membership:choose": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippetchoosers_workgroups_membership:choose_results": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippetchoosers_workgroups_membership:chosen": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippetchoosers_workgroups_membership:chosen_multiple": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippetchoosers_workgroups_membership:create": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_integrationarea:list": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_integrationarea:list_results": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_integrationarea:add": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_integrationarea:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_integrationarea:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_integrationarea:usage": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_integrationarea:history": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippets_workgroups_integrationarea:history_results": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsnippets_workgroups_integrationarea:copy": admin_view(editor=ADMIN_ONLY),
    "wagtailsnippetchoosers_workgroups_integrationarea:choose": admin_view(),
    "wagtailsnippetchoosers_workgroups_integrationarea:choose_results": admin_view(),
    "wagtailsnippetchoosers_workgroups_integrationarea:chosen": admin_view(),
    "wagtailsnippetchoosers_workgroups_integrationarea:chosen_multiple": admin_view(),
    "wagtailsnippetchoosers_workgroups_integrationarea:create": admin_view(
        editor=ADMIN_ONLY
    ),
    "wagtailsites:index": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:index_results": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:add": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:history": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:history_results": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:usage": admin_view(editor=ADMIN_ONLY),
    "wagtailsites:copy": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:index": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:index_results": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:add": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:history": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:history_results": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:usage": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_users:copy": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:index": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:index_results": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:add": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:edit": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:delete": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:history": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:history_results": admin_view(editor=ADMIN_ONLY),
    "wagtailusers_groups:usage": admin_view(editor=ADMIN_ONLY),
    "wagtaildocs_chooser:choose": admin_view(),
    "wagtaildocs_chooser:choose_results": admin_view(),
    "wagtaildocs_chooser:chosen": admin_view(editor=ADMIN_ONLY),
    "wagtaildocs_chooser:chosen_multiple": admin_view(),
    "wagtaildocs_chooser:create": admin_view(),
    "wagtailimages_chooser:choose": admin_view(),
    "wagtailimages_chooser:choose_results": admin_view(),
    "wagtailimages_chooser:chosen": admin_view(),
    "wagtailimages_chooser:chosen_multiple": admin_view(),
    "wagtailimages_chooser:create": admin_view(),
    "wagtailimages_chooser:select_format": admin_view(),
    "wagtaillocales:index": admin_view(editor=ADMIN_ONLY),
    "wagtaillocales:index_results": admin_view(editor=ADMIN_ONLY),
    "wagtaillocales:add": admin_view(editor=ADMIN_ONLY, admin=ADMIN_ONLY),
    "wagtaillocales:edit": admin_view(editor=ADMIN_ONLY),
    "wagtaillocales:delete": admin_view(editor=ADMIN_ONLY),
    "wagtaillocales:history": admin_view(editor=ADMIN_ONLY),
    "wagtaillocales:history_results": admin_view(editor=ADMIN_ONLY),
    "wagtaillocales:usage": admin_view(editor=ADMIN_ONLY),
}

# The pages of the tree (``world.page_urls``: every page type, live in
# Polish, Ukrainian and English, and the pages nobody but editors may read),
# by the state of the page.
PAGES_TABLE = {
    "live": public(),
    "live sub-route": public(),
    "draft": public(NOT_FOUND),
    "scheduled": public(NOT_FOUND),
    "signed in only": signed_in(),
    "editors only": signed_in(LOGIN, editor=OK, admin=OK),
}

# Paths that are no URL pattern: uploaded files are never served from
# MEDIA_URL (docs/security.md, AC-08), only through the views above.
PATHS_TABLE = {
    "a draft's attachment under /media/": public(
        NOT_FOUND, path=lambda w: w.document.file.url
    ),
    "an image's original under /media/": public(
        NOT_FOUND, path=lambda w: w.image.file.url
    ),
}

# WebSocket routes → {what: (path builder, roles whose connection is accepted)}.
SOCKETS_TABLE = {
    "ws/groups/<int:group_id>/": {
        "group A's room": (lambda w: f"/ws/groups/{w.group_a.pk}/", MEMBERS),
        "group B's room": (lambda w: f"/ws/groups/{w.group_b.pk}/", {"outsider"}),
    },
    # Observers are let in to read; their updates are refused (co-editing).
    "ws/drafts/<int:draft_id>/": {
        "group A's draft": (lambda w: f"/ws/drafts/{w.draft.pk}/", MEMBERS),
    },
}


ALL_ROUTES = sweep.discover_routes()


@pytest.fixture(scope="module")
def two_groups_with_everything(django_db_setup, django_db_blocker):
    """Two groups with one object of every kind, the page tree and people of
    every role (``sweep.build_world``), built once for the whole module and
    rolled back at its end; every request runs in a savepoint of its own
    (``sweep.send``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield sweep.build_world()
        transaction.set_rollback(True)


def _observed(two_groups_with_everything, route):
    lines = []
    try:
        url = sweep.url_for(
            route, Expect(by_role(OK), args=None), two_groups_with_everything
        )
    except Exception as error:  # noqa: BLE001 - reported to the developer
        return f"(could not build a URL: {error!r}; declare args=)"
    for role in ROLES:
        response, _ = sweep.send(two_groups_with_everything, role, "get", url, {})
        lines.append(f"{role}={sweep.described(response)}")
    return f"GET {url}: " + ", ".join(lines)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ALL_ROUTES, ids=lambda route: route.key)
def test_route_answers_each_role_as_declared(two_groups_with_everything, route):
    expect = ROUTES_TABLE.get(route.key)
    if expect is None:
        pytest.fail(
            f"URL pattern {route.pattern!r} has no entry {route.key!r} in "
            f"ROUTES_TABLE ({__file__}). "
            f"Today: {_observed(two_groups_with_everything, route)}",
            pytrace=False,
        )
    url = sweep.url_for(route, expect, two_groups_with_everything)
    problems = sweep.check(two_groups_with_everything, url, expect)
    if expect.answer("outsider") == NOT_FOUND and expect.args:
        problems += sweep.uniform_404_problem(
            two_groups_with_everything, route, expect, url
        )
    assert not problems, "\n".join([f"{expect.method.upper()} {url}", *problems])


@pytest.mark.django_db
def test_every_entry_of_the_table_is_a_url_pattern_of_the_site():
    stale = set(ROUTES_TABLE) - {route.key for route in ALL_ROUTES}
    assert not stale, f"ROUTES_TABLE names URL patterns that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kind",
    # Every live page in three languages × eleven roles: the slowest entry.
    [
        pytest.param(kind, marks=pytest.mark.slow if kind == "live" else ())
        for kind in PAGES_TABLE
    ],
)
def test_pages_answer_each_role_as_declared(two_groups_with_everything, kind):
    expect = PAGES_TABLE[kind]
    problems = []
    for url in two_groups_with_everything.page_urls[kind]:
        problems += [
            f"GET {url}",
            *sweep.check(two_groups_with_everything, url, expect),
        ]
    assert len(problems) == len(two_groups_with_everything.page_urls[kind]), "\n".join(
        problems
    )


@pytest.mark.django_db
def test_every_page_type_has_a_page_in_the_sweep(two_groups_with_everything):
    from wagtail.models import get_page_models

    swept = {type(page.specific) for page in two_groups_with_everything.live_pages}
    missing = (
        {model.__name__ for model in get_page_models() if not model._meta.abstract}
        - {model.__name__ for model in swept}
        - {"Page"}
    )
    assert not missing, (
        f"page types with no live page in the sweep: {missing}; add one to "
        "sweep._build_pages"
    )
    assert set(two_groups_with_everything.page_urls) == set(PAGES_TABLE)


@pytest.mark.django_db
@pytest.mark.parametrize("what", PATHS_TABLE)
def test_paths_answer_each_role_as_declared(two_groups_with_everything, what):
    expect = PATHS_TABLE[what]
    url = sweep.url_for(None, expect, two_groups_with_everything)
    problems = sweep.check(two_groups_with_everything, url, expect)
    assert not problems, "\n".join([f"GET {url}", *problems])


def _websocket_routes():
    from platforma.routing import websocket_urlpatterns

    return [str(pattern.pattern) for pattern in websocket_urlpatterns]


def test_every_websocket_route_is_in_the_table():
    assert set(_websocket_routes()) == set(SOCKETS_TABLE)


async def _socket_problems(two_groups_with_everything, path, accepted):
    """Connect as every role; the accepted ones also ask for another group's
    topic, which must answer with an error and nothing of that group."""
    problems = []
    for role in ROLES:
        cookie = two_groups_with_everything.cookies.get(role)
        communicator, connected, _hello = await open_socket(
            None, 0, path=path, cookie=cookie and f"sessionid={cookie}".encode()
        )
        if connected != (role in accepted):
            state = "accepted" if connected else "refused"
            problems.append(f"  {role}: connection {state}")
        if connected:
            for topic in (
                two_groups_with_everything.topic,
                two_groups_with_everything.topic_b,
            ):
                await send(
                    communicator,
                    {"type": "history", "topic": topic.pk, "before_seq": 10**6},
                )
            frames = []
            while not await communicator.receive_nothing(timeout=0.3):
                frames.append(await communicator.receive_from())
            frames = [  # a live draft's Yjs frames are binary
                f.decode("utf-8", "replace") if isinstance(f, bytes) else f
                for f in frames
            ]
            leaked = [
                secret
                for secret, allowed in sweep.MAY_SEE.items()
                if role not in allowed and any(secret in f for f in frames)
            ]
            if leaked:
                problems.append(f"  {role}: frames show {leaked}")
        await communicator.disconnect()
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("route", _websocket_routes())
def test_websocket_route_accepts_only_declared_roles(two_groups_with_everything, route):
    """Run in this thread (async_to_sync), so that the consumer's database
    calls see the module's uncommitted objects; Channels' connection clean-up
    would close the connection that holds it."""
    problems = []
    with mock.patch("channels.db.close_old_connections"):
        for what, (path, accepted) in SOCKETS_TABLE[route].items():
            found = async_to_sync(_socket_problems)(
                two_groups_with_everything, path(two_groups_with_everything), accepted
            )
            problems += [f"{what}:", *found] if found else []
    assert not problems, "\n".join(problems)
