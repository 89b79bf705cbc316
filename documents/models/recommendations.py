"""The published form of a group's document: a recommendation page in the
programme, with the provenance that ties it to the group, the meeting
decision and the draft version it comes from."""

from modelcluster.fields import ParentalManyToManyField

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from documents.exports import recommendation_docx
from documents.feeds import RecommendationsAtomFeed, RecommendationsFeed
from documents.forms import RecommendationPageForm
from documents.provenance import provenance_of
from home.cache import mark_cacheable
from home.models import ActionPage, PublicPage
from home.restrictions import public_only


class RecommendationIndexPage(RoutablePageMixin, PublicPage):
    """The programme's section of recommendations, with their feeds."""

    parent_page_types = ["home.ProgrammePage"]
    subpage_types = ["documents.RecommendationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("recommendations section")
        verbose_name_plural = _("recommendations sections")

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(
            request, RoutablePageMixin.serve(self, request, *args, **kwargs)
        )

    def recommendations(self):
        """Every published recommendation once: in this section's language
        where it is translated, else in the language it was published in
        (the template says which), newest first."""
        pages = (
            public_only(RecommendationPage.objects.all())
            .select_related("group__area", "locale")
            .order_by("-first_published_at", "-pk")
        )
        chosen = {}
        for page in pages:
            if page.locale_id == self.locale_id or page.translation_key not in chosen:
                chosen[page.translation_key] = page
        return sorted(
            chosen.values(), key=lambda p: (p.first_published_at, p.pk), reverse=True
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recommendations"] = self.recommendations()
        return context

    @path("kanal/", name="feed")
    def rss_feed(self, request):
        return RecommendationsFeed(self)(request)

    @path("kanal/atom/", name="atom_feed")
    def atom_feed(self, request):
        return RecommendationsAtomFeed(self)(request)


class RecommendationPage(RoutablePageMixin, PublicPage):
    """A recommendation as the public reads it. Its text is a copy of the
    version the group approved, made when the draft was sent to the editors:
    later edits of the draft never reach this page until a new version is
    approved and goes through editorial review again."""

    subscription_topic = "recommendations"  # home/subscriptions.py

    actions = ParentalManyToManyField(
        "home.ActionPage",
        verbose_name=_("programme actions"),
        blank=True,
        related_name="recommendations",
    )
    draft = models.ForeignKey(
        "documents.Draft",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="recommendation_pages",
    )
    group = models.ForeignKey(
        "workgroups.WorkingGroup",
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.ForeignKey(
        "workgroups.Decision",
        verbose_name=_("decision of the group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    draft_version = models.PositiveIntegerField(
        _("version of the draft"), null=True, blank=True
    )
    approved_on = models.DateField(_("approved by the group on"), null=True, blank=True)

    content_panels = PublicPage.content_panels + [
        FieldPanel("actions", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("group", read_only=True),
                FieldPanel("decision", read_only=True),
                FieldPanel("draft_version", read_only=True),
                FieldPanel("approved_on", read_only=True),
            ],
            heading=_("Provenance (from the working group's approval)"),
        ),
    ]

    base_form_class = RecommendationPageForm
    parent_page_types = ["documents.RecommendationIndexPage"]
    subpage_types: list[str] = []
    # A copy made in the admin is a page of its own, not the draft's page:
    # publishing it must not move the draft.
    exclude_fields_in_copy = ["draft"]

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(
            request, RoutablePageMixin.serve(self, request, *args, **kwargs)
        )

    @path("docx/", name="docx")
    def docx(self, request):
        """The published text as a DOCX file (the page prints cleanly too)."""
        response = HttpResponse(
            recommendation_docx(self),
            content_type=(
                "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            ),
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.slug}.docx"
        )
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["provenance"] = provenance_of(self, request.user)
        # In the reader's language where the action is translated. (In the
        # admin's preview ``actions`` holds the form's choice, not a query.)
        chosen = self.actions.all()
        if isinstance(chosen, QuerySet):
            chosen = chosen.values("pk")  # a subquery: one query, not two
        else:
            chosen = [action.pk for action in chosen]
        actions = public_only(ActionPage.objects.filter(pk__in=chosen))
        context["actions"] = [
            action if action.locale_id == self.locale_id else action.localized
            for action in actions.order_by("path")
        ]
        return context
