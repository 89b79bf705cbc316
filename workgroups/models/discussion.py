"""Live discussion: a room per working group, topics in it, messages with a
per-room sequence number (the order every client agrees on), mentions, read
positions and open connections."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workgroups.models import arising

MAX_MESSAGE_LENGTH = 4000


class Room(models.Model):
    """The discussion room of one working group. ``last_seq`` numbers the
    room's ordered stream of events: a new message takes the next number (its
    ``seq``), and so does every later change of a message — edit, delete,
    hide (its ``changed_seq``). It only grows."""

    group = models.OneToOneField(
        "workgroups.WorkingGroup",
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="room",
    )
    last_seq = models.PositiveBigIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("discussion room")
        verbose_name_plural = _("discussion rooms")

    def __str__(self):
        return str(self.group)


class TopicQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_closed=False)


class Topic(models.Model):
    """A subject of discussion in a room (as a Zulip topic). A topic may be
    the thread of another object — a meeting, a draft — through ``subject``;
    free topics have none."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=200)
    # A thread made for a meeting or a draft: ``title`` is the object's own
    # title, worded when read ("Meeting: …") in the reader's language.
    wording = models.CharField(
        max_length=10,
        blank=True,
        choices=[("meeting", _("meeting")), ("draft", _("draft"))],
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("attached to (type)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(
        _("attached to (id)"), null=True, blank=True
    )
    subject = GenericForeignKey("subject_type", "subject_id")

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["is_closed", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(subject_type__isnull=False),
                name="one_topic_per_subject",
            )
        ]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.heading

    @property
    def heading(self):
        """The title as the reader sees it, in the active language."""
        return arising.thread_title(self.wording, self.title)


class MessageQuerySet(models.QuerySet):
    def visible(self):
        """Messages shown with their text: neither deleted nor hidden."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class Message(models.Model):
    """Plain text; links and @mentions are recognised when shown, never
    stored as markup. Deleting or hiding keeps the row (and the sequence
    number) and blanks what is shown."""

    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.CASCADE, related_name="messages"
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    seq = models.PositiveBigIntegerField(_("sequence number"))
    # The room's event number of the latest edit, deletion or hiding (0: none).
    changed_seq = models.PositiveBigIntegerField(
        _("sequence number of the last change"), default=0
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="discussion_messages",
    )
    client_id = models.UUIDField(_("client id"))
    body = models.TextField(_("text"), max_length=MAX_MESSAGE_LENGTH)
    search_text = models.TextField(_("search lemmas"), blank=True, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="one_message_per_seq"),
            # A resend with the same client id never stores a second copy.
            models.UniqueConstraint(
                fields=["author", "client_id"], name="one_message_per_client_id"
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "seq"]),
            models.Index(fields=["room", "changed_seq"]),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"#{self.seq} {self.body[:40]}"

    @property
    def event_seq(self):
        """The number of the newest event of this message in its room."""
        return max(self.seq, self.changed_seq)

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class Mention(models.Model):
    """An in-app notification: ``user`` was @mentioned in ``message``."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user"], name="one_mention_per_message"
            )
        ]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self):
        return f"@{self.user_id} in #{self.message_id}"


class ReadPosition(models.Model):
    """The newest sequence number ``user`` has seen in ``topic``."""

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="read_positions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="one_read_position")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} to {self.seq}"


class Connection(models.Model):
    """An open (or recently closed) WebSocket of ``user`` to ``room``: who is
    online, and since when someone is offline (for mention e-mails)."""

    channel_name = models.CharField(max_length=200, unique=True)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="connections")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["room", "closed_at"])]

    def __str__(self):
        return self.channel_name
