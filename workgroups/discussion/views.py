"""Pages of the discussion: they work without JavaScript (lists and forms);
static/js/discussion.js adds the live socket on top."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.actions import perform
from workgroups.discussion import selectors, services
from workgroups.discussion.forms import EditForm, MessageForm, SearchForm, TopicForm
from workgroups.discussion.rendering import serialize_message
from workgroups.models import Membership, Mention
from workgroups.page_cache import member_page
from workgroups.selectors import groups_of


def _add_errors(form, error: ValidationError, field="body"):
    for message in error.messages:
        form.add_error(field, message)


@login_required
def room_list(request):
    groups = list(groups_of(request.user))
    __, per_group = selectors.unread_counts(request.user)
    for group in groups:
        group.unread = per_group.get(group.pk, 0)
    mentions = (
        Mention.objects.filter(user=request.user, read_at__isnull=True)
        .filter(
            message__room__group__in=Membership.objects.current_of(request.user).values(
                "group_id"
            )
        )
        .count()
    )
    return render(
        request,
        "workgroups/discussion/room_list.html",
        {"groups": groups, "unread_mentions": mentions, "search_form": SearchForm()},
    )


@login_required
def room(request, group_id):
    room, membership = selectors.room_of_member_or_404(request.user, group_id)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                actor=request.user, room=room, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            _add_errors(form, error, "title")
        else:
            return redirect("discussion:topic", group_id, topic.pk)
    topics = list(room.topics.all())
    per_topic, __ = selectors.unread_counts(request.user, group_ids=[group_id])
    for topic in topics:
        topic.unread = per_topic.get(topic.pk, 0)
    return render(
        request,
        "workgroups/discussion/room.html",
        {
            "group": room.group,
            "room": room,
            "membership": membership,
            "topics": topics,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _before(request):
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() and len(value) < 16 else None


@login_required
@member_page
def topic(request, group_id, topic_id):
    topic, membership = selectors.topic_of_member_or_404(
        request.user, group_id, topic_id
    )
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(
                author=request.user,
                topic=topic,
                body=form.cleaned_data["body"],
                client_id=form.cleaned_data["client_id"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect(reverse("discussion:topic", args=[group_id, topic_id]))
    before = _before(request)
    messages, has_more = selectors.history(topic, before_seq=before)
    if messages and before is None:
        services.read_mark(user=request.user, topic=topic, seq=messages[-1].seq)
    return render(
        request,
        "workgroups/discussion/topic.html",
        {
            "group": topic.room.group,
            "room": topic.room,
            "topic": topic,
            "membership": membership,
            # Not "messages": base.html shows Django's messages under that name.
            "chat_messages": messages,
            "has_more": has_more,
            "form": form,
            "rename_form": TopicForm(initial={"title": topic.heading}),
            "strings": _strings(),
            # The message the controls of the page's <template>s are about.
            "placeholder": {"pk": 0, "seq": 0},
        },
        status=400 if form.errors else 200,
    )


def _strings():
    """Texts the script shows, in the page's language."""
    return {
        "live": _("Connected: new messages appear live."),
        "reconnecting": _("Reconnecting… Messages you send are kept and sent."),
        "removed": _("You are no longer a member of this group."),
        "signed_out": _(
            "You were signed out (or your account changed): reload the page to "
            "sign in again."
        ),
        "sending": _("sending…"),
        "failed": _("not sent:"),
        "message_seq": _("message %(seq)s"),
        "new_message": _("New message from %(author)s: %(text)s"),
        "too_long": _("At most 4000 characters, please."),
        "rate_limited": _("Too many messages at once; wait a moment."),
        "retrying": _("not stored yet (the server is busy); trying again…"),
        "reopened": _("Topic reopened"),
    }


@login_required
def history(request, group_id, topic_id):
    """A page of older messages as JSON, each with its HTML in the page's
    language (``rendering.serialize_message``)."""
    topic, __ = selectors.topic_of_member_or_404(request.user, group_id, topic_id)
    messages, has_more = selectors.history(topic, before_seq=_before(request))
    return JsonResponse(
        {
            "messages": [
                serialize_message(m, languages=[get_language()]) for m in messages
            ],
            "has_more": has_more,
        }
    )


@login_required
@require_POST
def topic_manage(request, group_id, topic_id):
    topic, __ = selectors.topic_of_member_or_404(request.user, group_id, topic_id)
    action = request.POST.get("action")
    back = reverse("discussion:topic", args=[group_id, topic_id])
    if action == "rename":
        # A refused title stays as it was; the chair learns why.
        return perform(
            request,
            partial(_rename, request, topic),
            success=_("Topic renamed"),
            redirect_to=back,
        )
    if action in ("close", "reopen"):
        return perform(
            request,
            partial(
                services.topic_set_closed,
                actor=request.user,
                topic=topic,
                closed=action == "close",
            ),
            success=_("Topic closed") if action == "close" else _("Topic reopened"),
            redirect_to=back,
        )
    messages.error(request, _("The form could not be read."))
    return redirect(back)


def _rename(request, topic):
    form = TopicForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors["title"])
    services.topic_rename(
        actor=request.user, topic=topic, title=form.cleaned_data["title"]
    )


@login_required
def message_edit(request, group_id, message_id):
    message, __ = selectors.message_to_edit_or_404(request.user, group_id, message_id)
    form = EditForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.message_edit(
                actor=request.user, message=message, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("discussion:topic", group_id, message.topic_id)
    return render(
        request,
        "workgroups/discussion/message_edit.html",
        {"group": message.room.group, "message": message, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def message_delete(request, group_id, message_id):
    message, __ = selectors.message_of_member_or_404(request.user, group_id, message_id)
    services.message_delete(actor=request.user, message=message)
    return redirect("discussion:topic", group_id, message.topic_id)


@login_required
@require_POST
def message_hide(request, group_id, message_id):
    message, __ = selectors.message_of_member_or_404(request.user, group_id, message_id)
    services.message_hide(actor=request.user, message=message)
    return redirect("discussion:topic", group_id, message.topic_id)


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        try:
            from workgroups.discussion.text import clean_text

            query = clean_text(form.cleaned_data["q"], max_length=200)
        except ValidationError as error:
            _add_errors(form, error, "q")
        else:
            results = list(selectors.search(request.user, query))
    return render(
        request,
        "workgroups/discussion/search.html",
        {"form": form, "results": results},
        status=400 if form.errors else 200,
    )


@login_required
def mentions(request):
    items = list(
        Mention.objects.filter(user=request.user)
        .select_related("message__author", "message__topic", "message__room__group")
        .filter(
            message__room__group__in=Membership.objects.current_of(request.user).values(
                "group_id"
            )
        )[:100]
    )
    return render(request, "workgroups/discussion/mentions.html", {"items": items})


def thread_redirect(group, subject, title, *, wording):
    """To the topic that is ``subject``'s thread (a meeting, a draft) in
    ``group``'s room, created on first use with ``subject``'s own ``title``,
    worded when read (``Topic.heading``). The caller has checked that the
    person is a member of ``group`` and that ``subject`` belongs to it."""
    room = selectors.room_of(group.pk)
    if room is None:
        raise Http404
    topic = services.topic_for_subject(
        room=room, subject=subject, title=title, wording=wording
    )
    return redirect("discussion:topic", group.pk, topic.pk)
