import math
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel

from home.languages import NameInLanguages
from home.people import person_name


class IntegrationArea(NameInLanguages):
    """A field of integration policy (labour market, education, health…)."""

    name = models.CharField(_("name in Polish"), max_length=150, unique=True)
    description = models.TextField(_("description in Polish"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        *NameInLanguages.translation_panels,
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("integration area")
        verbose_name_plural = _("integration areas")


class WorkingGroupQuerySet(models.QuerySet):
    def for_member(self, user):
        """The groups ``user`` is a current member of, in any role."""
        return self.filter(
            pk__in=Membership.objects.current_of(user).values("group_id")
        )


class SuggestionDeciders(models.TextChoices):
    """Who accepts or rejects suggestions in a group's drafts."""

    CHAIR_AND_CREATOR = "chair_creator", _("the chair and the draft's creator")
    MANAGERS_AND_CREATOR = (
        "managers_creator",
        _("the chair, the secretary and the draft's creator"),
    )
    WRITERS = "writers", _("every member who writes")


class WorkingGroup(NameInLanguages):
    """A team of experts in one integration area: its workspace is private to
    its members; its name, description and listed members are public. The
    name and description have per-language fields rather than translated
    copies of the row: the group's membership, collection and discussion
    are one (docs/subsystems/public-programme.md)."""

    area = models.ForeignKey(
        IntegrationArea,
        verbose_name=_("integration area"),
        on_delete=models.PROTECT,
        related_name="working_groups",
    )
    name = models.CharField(_("name in Polish"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("public description in Polish"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    quorum_fraction = models.DecimalField(
        _("quorum"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(1)],
        help_text=_(
            "Share of the members with a vote (everyone but observers) who must "
            "attend for the meeting to take decisions, e.g. 0.50 for half."
        ),
    )
    require_mfa = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Members must sign in with a second factor (an authenticator app) "
            "before they reach the group's work; those without one set it up "
            "at their next sign-in."
        ),
    )
    experts_only_suggest = models.BooleanField(
        _("experts may only suggest"),
        default=False,
        help_text=_(
            "Experts change the drafts' text only by suggestions, which the "
            "members named below accept or reject."
        ),
    )
    suggestion_deciders = models.CharField(
        _("who accepts suggestions"),
        max_length=20,
        choices=SuggestionDeciders,
        default=SuggestionDeciders.CHAIR_AND_CREATOR,
    )
    # The private Wagtail collection that holds the group's files: a file's
    # group is read from its collection's path (workgroups/access.py).
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="working_group",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    panels = [
        FieldPanel("area"),
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        *NameInLanguages.translation_panels,
        FieldPanel("is_active"),
        FieldPanel("quorum_fraction"),
        FieldPanel("require_mfa"),
        FieldPanel("experts_only_suggest"),
        FieldPanel("suggestion_deciders"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def quorum_for(self, voting: int) -> int:
        """How many of ``voting`` members with a vote the group's rule needs
        (at least one): for a meeting's attendance and a proposal's turnout."""
        return max(1, math.ceil(voting * self.quorum_fraction))


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships that count: a person is a member only while the
        membership exists and their account is active (a signed-out session
        is Django's and the live sockets' business: workgroups/access.py)."""
        return self.filter(user__is_active=True)

    def current_of(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.current().filter(user=user)

    def voting(self):
        """Members with a vote: everyone but observers."""
        return self.exclude(role=Membership.Role.OBSERVER)

    def listed(self):
        """Members who agreed to appear on the group's public profile."""
        return self.filter(listed_publicly=True)


class Membership(models.Model):
    """A person's place in a working group. Observers read; experts also write;
    the secretary and the chair also run meetings and minutes."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        EXPERT = "expert", _("expert")
        OBSERVER = "observer", _("observer")

    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.EXPERT)
    listed_publicly = models.BooleanField(
        _("listed on the public profile"),
        default=False,
        help_text=_("Only with the member's consent."),
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    panels = [
        FieldPanel("group"),
        FieldPanel("user"),
        FieldPanel("role"),
        FieldPanel("listed_publicly"),
    ]

    class Meta:
        ordering = ["group", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], name="one_membership_per_group"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{person_name(self.user)} — {self.group}"

    @property
    def can_write(self):
        return self.role != self.Role.OBSERVER

    @property
    def can_manage(self):
        """Chair and secretary schedule meetings and keep the minutes."""
        return self.role in (self.Role.CHAIR, self.Role.SECRETARY)

    @property
    def is_chair(self):
        return self.role == self.Role.CHAIR
