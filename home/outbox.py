"""The e-mail outbox: every mail the site sends is first a row
(``OutgoingEmail``), then handed to the mail server by a background task.
While the server is down or refuses for now (a 4xx reply) the task tries
again, ever less often, and gives up only ``OUTBOX_GIVE_UP_SECONDS`` after
the mail was queued; a refusal for good (a 5xx reply) ends it at once. Either
way the row says what happened and ``mail_failed`` tells whoever cares (the
chair who sent an invitation). See docs/subsystems/email-outbox.md."""

import smtplib
from datetime import timedelta
from email.utils import make_msgid

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from home.models import OutgoingEmail

Status = OutgoingEmail.Status

# Sent with ``mail`` (an OutgoingEmail) when a mail is refused for good or
# given up, inside the transaction that records it.
mail_failed = Signal()


def mail_prepare(
    *, to, subject, body, kind, html="", from_email=None, headers=None, cc=(), bcc=()
):
    """The row of a new mail, not yet handed to the task: for callers that
    link it to their own object first (``mail_enqueue`` then sends it)."""
    mail = OutgoingEmail(
        kind=kind,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        bcc=list(bcc),
        subject=" ".join(str(subject).splitlines()),
        body=str(body),
        html_body=html,
        # One Message-ID for every attempt: a server that took a mail
        # whose confirmation was lost can recognise the second copy.
        headers={"Message-ID": make_msgid(domain=DNS_NAME), **(headers or {})},
        next_attempt_at=timezone.now(),
    )
    mail.full_clean()
    mail.save()
    return mail


def mail_enqueue(mail):
    """Hand ``mail`` to the sending task. Called inside the caller's
    transaction: with the database task backend the task row commits (or
    not) together with the mail."""
    outbox_send.enqueue(mail.pk)


def mail_queue(**fields):
    """Record a mail and send it in the background; returns its row."""
    mail = mail_prepare(**fields)
    mail_enqueue(mail)
    return mail


def queue_message(message, *, kind=""):
    """Record a Django ``EmailMessage`` (from code that is not ours: allauth,
    Wagtail) as a mail of the outbox."""
    if message.attachments:
        raise ValueError("The outbox does not keep attachments.")
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    mail = mail_prepare(
        to=message.to,
        subject=message.subject,
        body=message.body,
        kind=kind,
        html=html,
        from_email=message.from_email,
        headers=message.extra_headers,
        cc=message.cc,
        bcc=message.bcc,
    )
    mail_enqueue(mail)
    return mail


class OutboxBackend(BaseEmailBackend):
    """``EMAIL_BACKEND``: whatever calls Django's ``send_mail`` (allauth's
    password reset and address confirmation, Wagtail's moderation mails)
    records the mail in the outbox instead of talking to the server; the
    task delivers it through ``OUTBOX_EMAIL_BACKEND``."""

    def send_messages(self, email_messages):
        for message in email_messages:
            queue_message(message, kind="site")
        return len(email_messages)


def _as_message(mail):
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        headers=mail.headers,
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def is_permanent(error):
    """A 5xx reply refuses for good (RFC 5321, 4.2.1); a 4xx, a dropped or
    refused connection, a timeout may pass. A refused login is the site's own
    configuration: the mail waits for the operator to fix it."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, ValueError):  # a header the server would never take
        return True
    code = getattr(error, "smtp_code", None)
    return code is not None and 500 <= code < 600


def retry_delay(attempts):
    """1, 2, 4 … times ``OUTBOX_FIRST_RETRY_SECONDS``, at most
    ``OUTBOX_MAX_RETRY_SECONDS`` apart."""
    first = settings.OUTBOX_FIRST_RETRY_SECONDS
    return timedelta(
        seconds=min(
            first * 2 ** max(attempts - 1, 0), settings.OUTBOX_MAX_RETRY_SECONDS
        )
    )


def _deliver(mail):
    """One attempt; returns the error, or None once the server took it."""
    try:
        with get_connection(settings.OUTBOX_EMAIL_BACKEND) as connection:
            connection.send_messages([_as_message(mail)])
    except (smtplib.SMTPException, OSError, ValueError) as error:
        return error
    return None


def _record_failure(mail, error, now):
    """Fail the mail for good, or schedule the next attempt (up to the
    give-up time, never after it)."""
    mail.last_error = str(error)[:1000] or type(error).__name__
    give_up_at = mail.created_at + timedelta(seconds=settings.OUTBOX_GIVE_UP_SECONDS)
    if is_permanent(error) or now >= give_up_at:
        mail.status = Status.FAILED
        mail.finished_at = now
        mail.next_attempt_at = None
        return
    mail.next_attempt_at = min(now + retry_delay(mail.attempts), give_up_at)


@task()
def outbox_send(mail_id):
    """Send one queued mail if it is due. A copy of this task that comes too
    early, twice or after the mail went finds nothing to do; the row lock
    keeps two workers from sending it at once."""
    with transaction.atomic():
        now = timezone.now()
        mail = (
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=Status.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if mail is None:
            return None
        error = _deliver(mail)
        mail.attempts += 1
        if error is None:
            mail.status, mail.finished_at, mail.next_attempt_at = Status.SENT, now, None
            mail.last_error = ""
        else:
            _record_failure(mail, error, now)
        mail.save()
        if mail.status == Status.FAILED:
            mail_failed.send(sender=OutgoingEmail, mail=mail)
        elif mail.status == Status.QUEUED:
            _schedule(mail)
        return mail.status


def _schedule(mail):
    """The next attempt as a deferred task where the task backend can defer
    (the database backend of production); elsewhere ``send_queued_mail``
    picks the mail up when it is due."""
    if outbox_send.get_backend().supports_defer:
        outbox_send.using(run_after=mail.next_attempt_at).enqueue(mail.pk)


def send_due():
    """Hand every queued mail that is due to the task again (mails whose
    task was lost: a crashed process, a restored backup, a task backend that
    cannot defer); returns how many."""
    due = list(
        OutgoingEmail.objects.filter(
            status=Status.QUEUED, next_attempt_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    for pk in due:
        outbox_send.enqueue(pk)
    return len(due)
