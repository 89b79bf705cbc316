"""The views' one way of running a write that a form posted: call the
service, tell the person how it went, redirect. A refusal the person can fix
(the service's ``ValidationError``, already in their language) becomes a
message on the next page; anything else (``PermissionDenied``, ``Http404``)
goes on to Django, as from any view."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def error_text(error: ValidationError, template=None) -> str:
    """The messages of ``error`` as one sentence, inside ``template`` (a
    translated text with ``%(reason)s``) when given."""
    reason = " ".join(error.messages)
    return template % {"reason": reason} if template else reason


def perform(request, action, *, success=None, redirect_to, failure_to=None, error=None):
    """Run ``action()``; on a ``ValidationError`` show it as an error (in
    ``error``, a template with ``%(reason)s``, when given) and redirect to
    ``failure_to`` (default ``redirect_to``); otherwise show ``success`` (a
    text, or a function of the action's result that returns one) and
    redirect to ``redirect_to`` (anything ``django.shortcuts.redirect``
    takes)."""
    try:
        result = action()
    except ValidationError as invalid:
        messages.error(request, error_text(invalid, error))
        return redirect(failure_to or redirect_to)
    if callable(success):
        success = success(result)
    if success:
        messages.success(request, success)
    return redirect(redirect_to)
