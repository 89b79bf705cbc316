"""The integration programme as a page tree: the programme, its diagnosis,
strategic goals, directions of intervention and actions (with indicators
and status history), and the monitoring page."""

from modelcluster.fields import ParentalKey

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import DownloadsBlock
from home.cache import mark_cacheable
from home.models.pages import PublicPage
from home.restrictions import public_only


def _published_tree(page, *models):
    """The live, public descendants of ``page`` of the given types, in tree
    order: one query per type, however many pages there are."""
    pages = []
    for model in models:
        pages += list(public_only(model.objects.descendant_of(page)))
    return sorted(pages, key=lambda item: item.path)


def _nest(pages):
    """Attach each page's children (from the same list) as ``children``."""
    by_path = {page.path: page for page in pages}
    for page in pages:
        page.children = []
    roots = []
    for page in pages:
        parent = by_path.get(page.path[: -page.steplen])
        (parent.children if parent else roots).append(page)
    return roots


class ProgrammePage(RoutablePageMixin, PublicPage):
    """The integration programme: summary, period, budget and funding, and
    the documents to download. Goals, the diagnosis and the monitoring page
    are its children."""

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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["goals"] = _nest(
            _published_tree(self, StrategicGoalPage, DirectionPage)
        )
        context["other_parts"] = list(
            public_only(self.get_children().not_type(StrategicGoalPage)).order_by(
                "path"
            )
        )
        return context

    @path("druk/", name="print")
    def print_view(self, request):
        """The whole programme on one page, for printing or saving as PDF."""
        pages = _published_tree(
            self, DiagnosisPage, StrategicGoalPage, DirectionPage, ActionPage
        )
        actions = [page for page in pages if isinstance(page, ActionPage)]
        ActionPage.prefetch_details(actions)
        roots = _nest(pages)
        return self.render(
            request,
            template="home/programme_print.html",
            context_overrides={
                "diagnoses": [p for p in roots if isinstance(p, DiagnosisPage)],
                "goals": [p for p in roots if isinstance(p, StrategicGoalPage)],
            },
        )


class DiagnosisPage(PublicPage):
    """The diagnosis of the situation of immigrants: sections with figures
    and tables in the body."""

    parent_page_types = ["home.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")


class NumberedPage(PublicPage):
    """A goal, direction or action, known by its number ("2.1.3")."""

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
        context["directions"] = _nest(_published_tree(self, DirectionPage, ActionPage))
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
        actions = _published_tree(self, ActionPage)
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
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(actions, "indicators", "status_history")

    def feeding_recommendations(self):
        """The published recommendations that feed this action, in the page's
        language where they are translated. Their page type lives in
        ``documents``; its ``actions`` field names this action (or this
        action in another language)."""
        keys = set(
            Page.objects.filter(
                recommendationpage__actions__translation_key=self.translation_key
            ).values_list("translation_key", flat=True)
        )
        pages = public_only(Page.objects.filter(translation_key__in=keys))
        pages = list(pages.select_related("locale"))
        chosen = {}
        for page in pages:
            if page.locale_id == self.locale_id or page.translation_key not in chosen:
                chosen[page.translation_key] = page
        return sorted(chosen.values(), key=lambda page: page.title)

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

    parent_page_types = ["home.ProgrammePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("implementation and monitoring")
        verbose_name_plural = _("implementation and monitoring pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        programme = self.get_parent()
        actions = _published_tree(programme, ActionPage)
        ActionPage.prefetch_details(actions)
        counts = dict.fromkeys(ActionStatus.values, 0)
        for action in actions:
            counts[action.status] += 1
        total = len(actions) or 1
        context["actions"] = actions
        context["status_counts"] = [
            {
                "status": status,
                "label": ActionStatus(status).label,
                "count": counts[status],
                "percent": round(counts[status] * 100 / total),
            }
            for status in ActionStatus.values
        ]
        return context
