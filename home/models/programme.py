"""The integration programme as a page tree: the programme, its diagnosis,
strategic goals, directions of intervention and actions (with indicators
and status history), and the monitoring page."""

from modelcluster.fields import ParentalKey

from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.api_fields import (
    IndicatorSerializer,
    RecommendationsField,
    StatusChangeSerializer,
    StatusLabelField,
)
from home.blocks import DownloadsBlock
from home.cache import mark_cacheable
from home.exports import DOCX_CONTENT_TYPE, programme_docx, programme_pdf
from home.models.pages import PublicPage
from home.models.tree import nest, published_tree
from home.restrictions import public_only


class ProgrammePage(RoutablePageMixin, PublicPage):
    """The integration programme: summary, period, budget and funding, and
    the documents to download. Goals, the diagnosis and the monitoring page
    are its children."""

    subscription_topic = "programme_updates"  # home/subscriptions.py

    period_start = models.DateField(_("start of the period"), null=True, blank=True)
    period_end = models.DateField(_("end of the period"), null=True, blank=True)
    budget_total = models.DecimalField(
        _("value of the project (PLN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    funding_eu = models.DecimalField(
        _("EU co-financing, AMIF (PLN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    funding_state = models.DecimalField(
        _("co-financing from the state budget (PLN)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    funding_note = models.TextField(_("funding note"), blank=True)
    downloads = StreamField(
        DownloadsBlock(), verbose_name=_("documents to download"), blank=True
    )

    content_panels = PublicPage.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")])],
            heading=_("Period"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("budget_total"),
                FieldPanel("funding_eu"),
                FieldPanel("funding_state"),
                FieldPanel("funding_note"),
            ],
            heading=_("Budget and funding"),
        ),
        FieldPanel("downloads"),
    ]
    api_fields = PublicPage.api_fields + [
        APIField(name)
        for name in (
            "period_start",
            "period_end",
            "budget_total",
            "funding_eu",
            "funding_state",
            "funding_note",
        )
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "home.DiagnosisPage",
        "home.StrategicGoalPage",
        "home.MonitoringPage",
        "documents.RecommendationIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(
            request, RoutablePageMixin.serve(self, request, *args, **kwargs)
        )

    def get_context(self, request, *args, printable=False, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if printable:  # print_view gives the whole tree itself
            return context
        context["goals"] = nest(published_tree(self, StrategicGoalPage, DirectionPage))
        context["other_parts"] = list(
            public_only(self.get_children().not_type(StrategicGoalPage)).order_by(
                "path"
            )
        )
        return context

    @path("druk/", name="print")
    def print_view(self, request):
        """The whole programme on one page, for printing or saving as PDF:
        with each action's recommendations, and its monitoring."""
        pages = published_tree(
            self,
            DiagnosisPage,
            StrategicGoalPage,
            DirectionPage,
            ActionPage,
            MonitoringPage,
        )
        actions = [page for page in pages if isinstance(page, ActionPage)]
        ActionPage.prefetch_details(actions)
        ActionPage.prefetch_recommendations(actions)
        roots = nest(pages)
        return self.render(
            request,
            printable=True,
            template="home/programme_print.html",
            context_overrides={
                "diagnoses": [p for p in roots if isinstance(p, DiagnosisPage)],
                "goals": [p for p in roots if isinstance(p, StrategicGoalPage)],
                "monitoring": next(
                    (p for p in roots if isinstance(p, MonitoringPage)), None
                ),
                "status_counts": status_counts(actions),
            },
        )

    @path("docx/", name="docx")
    def docx(self, request):
        """The programme as a DOCX file, from what is published now."""
        return self._download(request, programme_docx, DOCX_CONTENT_TYPE, "docx")

    @path("pdf/", name="pdf")
    def pdf(self, request):
        """The DOCX's content as a PDF made here, not by the reader's browser."""
        return self._download(request, programme_pdf, "application/pdf", "pdf")

    def _download(self, request, build, content_type, extension):
        """``build``'s file of the published goals, directions and actions
        (with indicators; not their history or recommendations), named after
        the programme and its language, cached as the pages are."""
        pages = published_tree(self, StrategicGoalPage, DirectionPage, ActionPage)
        actions = [page for page in pages if isinstance(page, ActionPage)]
        prefetch_related_objects(actions, "indicators")
        response = HttpResponse(build(self, nest(pages)), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.slug}-{self.locale.language_code}.{extension}"
        )
        return mark_cacheable(request, response)


class DiagnosisPage(PublicPage):
    """The diagnosis of the situation of immigrants: sections with figures
    and tables in the body."""

    subscription_topic = "programme_updates"  # home/subscriptions.py

    parent_page_types = ["home.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")


class NumberedPage(PublicPage):
    """A goal, direction or action, known by its number ("2.1.3")."""

    subscription_topic = "programme_updates"  # home/subscriptions.py

    number = models.CharField(
        _("number"),
        max_length=20,
        help_text=_("As in the programme's text, e.g. 2 or 2.1 or 2.1.3."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("number"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = PublicPage.search_fields + [index.SearchField("number")]
    api_fields = PublicPage.api_fields + [APIField("number")]

    class Meta:
        abstract = True

    @property
    def numbered_title(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def breadcrumbs(self, request):
        """The live programme pages above this one: found while routing, or
        in one query."""
        ancestors = getattr(request, "programme_ancestors", None)
        if ancestors is None:
            ancestors = self.get_ancestors().filter(depth__gt=2).live()
        return list(ancestors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ancestors"] = self.breadcrumbs(request)
        return context


class StrategicGoalPage(NumberedPage):
    """A strategic goal of the programme; its children are directions."""

    parent_page_types = ["home.ProgrammePage"]
    subpage_types = ["home.DirectionPage"]

    class Meta:
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["directions"] = nest(published_tree(self, DirectionPage, ActionPage))
        return context


class DirectionPage(NumberedPage):
    """A direction of intervention under a goal; its children are actions."""

    parent_page_types = ["home.StrategicGoalPage"]
    subpage_types = ["home.ActionPage"]

    class Meta:
        verbose_name = _("direction of intervention")
        verbose_name_plural = _("directions of intervention")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        actions = published_tree(self, ActionPage)
        ActionPage.prefetch_details(actions)
        context["actions"] = actions
        return context


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    SUSPENDED = "suspended", _("suspended")


class ActionPage(NumberedPage):
    """An action of the programme: who carries it out, when, with what
    money, measured by which indicators, and where it stands."""

    responsible_body = models.CharField(_("responsible body"), max_length=255)
    partners = models.TextField(_("partners"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("from (year)"), null=True)
    end_year = models.PositiveSmallIntegerField(
        _("until (year)"), null=True, blank=True
    )
    budget_line = models.CharField(_("budget line"), max_length=255, blank=True)
    status = models.CharField(
        _("current status"),
        max_length=20,
        choices=ActionStatus,
        default=ActionStatus.PLANNED,
    )

    content_panels = NumberedPage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("responsible_body"),
                FieldPanel("partners"),
                FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
                FieldPanel("budget_line"),
            ],
            heading=_("Implementation"),
        ),
        InlinePanel("indicators", heading=_("Indicators"), label=_("indicator")),
        FieldPanel("status"),
        InlinePanel(
            "status_history", heading=_("Status history"), label=_("status change")
        ),
    ]
    search_fields = NumberedPage.search_fields + [
        index.SearchField("responsible_body"),
        index.SearchField("partners"),
        index.FilterField("status"),
    ]
    api_fields = NumberedPage.api_fields + [
        *(
            APIField(name)
            for name in (
                "responsible_body",
                "partners",
                "start_year",
                "end_year",
                "budget_line",
                "status",
            )
        ),
        APIField("status_label", serializer=StatusLabelField()),
        APIField("indicators", serializer=IndicatorSerializer(many=True)),
        APIField("status_history", serializer=StatusChangeSerializer(many=True)),
        APIField("recommendations", serializer=RecommendationsField()),
    ]

    parent_page_types = ["home.DirectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    @property
    def timeframe(self):
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or "")

    @staticmethod
    def prefetch_details(actions):
        """Indicators and status history of many actions in two queries."""
        prefetch_related_objects(actions, "indicators", "status_history")

    @staticmethod
    def prefetch_recommendations(actions):
        """The published recommendations that feed each action, in the
        action's language where they are translated, for many actions in two
        queries. Their page type lives in ``documents``; its ``actions``
        field names an action (or the action in another language)."""
        keys = {action.translation_key for action in actions}
        links = Page.objects.filter(
            recommendationpage__actions__translation_key__in=keys
        ).values_list("translation_key", "recommendationpage__actions__translation_key")
        feeding = {}
        for recommendation, action in links:
            feeding.setdefault(action, set()).add(recommendation)
        wanted = set().union(*feeding.values()) if feeding else set()
        pages = list(
            public_only(Page.objects.filter(translation_key__in=wanted)).select_related(
                "locale"
            )
            if wanted
            else []
        )
        for action in actions:
            chosen = {}
            for page in pages:
                if page.translation_key not in feeding.get(action.translation_key, ()):
                    continue
                if (
                    page.locale_id == action.locale_id
                    or page.translation_key not in chosen
                ):
                    chosen[page.translation_key] = page
            action._feeding = sorted(chosen.values(), key=lambda page: page.title)

    def feeding_recommendations(self):
        """The published recommendations that feed this action
        (``prefetch_recommendations``)."""
        if not hasattr(self, "_feeding"):
            ActionPage.prefetch_recommendations([self])
        return self._feeding

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        ActionPage.prefetch_details([self])
        context["recommendations"] = self.feeding_recommendations()
        return context


class ActionIndicator(Orderable):
    """How an action's result is measured: a baseline, a target and the value
    reached so far."""

    page = ParentalKey(ActionPage, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    current_value = models.DecimalField(
        _("current value"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("unit"),
        FieldRowPanel(
            [FieldPanel("baseline"), FieldPanel("target"), FieldPanel("current_value")]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        # Rows saved without a position (scripts, old data) keep the order
        # they were made in rather than the database's whim.
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name

    @cached_property
    def progress(self):
        """Share of the way from baseline to target reached, 0–100, or None."""
        if self.current_value is None or self.target == self.baseline:
            return None
        share = (self.current_value - self.baseline) / (self.target - self.baseline)
        return max(0, min(100, round(share * 100)))


class ActionStatusChange(Orderable):
    """One dated entry of an action's status history."""

    page = ParentalKey(
        ActionPage, on_delete=models.CASCADE, related_name="status_history"
    )
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus)
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldPanel("date"), FieldPanel("status"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        # Rows saved without a position (scripts, old data) keep the order
        # they were made in rather than the database's whim.
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return f"{self.date}: {self.get_status_display()}"


class MonitoringPage(PublicPage):
    """The implementation and monitoring system: every action's status and
    indicators at a glance."""

    subscription_topic = "programme_updates"  # home/subscriptions.py

    parent_page_types = ["home.ProgrammePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("implementation and monitoring")
        verbose_name_plural = _("implementation and monitoring pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        programme = self.get_parent()
        actions = published_tree(programme, ActionPage)
        ActionPage.prefetch_details(actions)
        context["actions"] = actions
        context["status_counts"] = status_counts(actions)
        return context


def status_counts(actions):
    """How many of ``actions`` are in each status, with their share."""
    counts = dict.fromkeys(ActionStatus.values, 0)
    for action in actions:
        counts[action.status] += 1
    total = len(actions) or 1
    return [
        {
            "status": status,
            "label": ActionStatus(status).label,
            "count": counts[status],
            "percent": round(counts[status] * 100 / total),
        }
        for status in ActionStatus.values
    ]
