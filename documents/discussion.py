"""A draft's discussion thread: a topic of its group's room (the live
discussion of ``workgroups``), created on first use."""

from django.contrib.auth.decorators import login_required

from documents.selectors import draft_for_member_or_404
from workgroups.discussion.views import thread_redirect


@login_required
def draft_discussion(request, pk):
    draft, _membership = draft_for_member_or_404(request.user, pk)
    return thread_redirect(draft.group, draft, draft.title, wording="draft")
