from modelcluster.fields import ParentalKey

from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from home import lemmas
from home.blocks import ContentBlock, DownloadsBlock
from home.cache import mark_cacheable

SUMMARY_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class PublicPageMixin:
    """What every public page type shares: a lemmatised search field and the
    anonymous response cache."""

    def search_text(self):
        """The page's readable text, for the lemmatised index and excerpts."""
        parts = [self.title]
        for name in ("intro", "summary"):
            parts.append(strip_tags(getattr(self, name, "") or ""))
        body = getattr(self, "body", None)
        if body is not None:
            parts += [
                strip_tags(str(text))
                for text in body.stream_block.get_searchable_content(body)
            ]
        return " ".join(part for part in parts if part)

    def search_lemmas(self):
        return lemmas.lemmatise(self.search_text(), self.locale.language_code)

    def serve(self, request, *args, **kwargs):
        return mark_cacheable(request, super().serve(request, *args, **kwargs))


class PublicPage(PublicPageMixin, Page):
    """A programme page: a summary and a body of content blocks."""

    summary = RichTextField(_("summary"), blank=True, features=SUMMARY_FEATURES)
    body = StreamField(ContentBlock(), verbose_name=_("body"), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("search_lemmas"),
    ]
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]

    class Meta:
        abstract = True


class InfoPointsAndFastRoutingMixin:
    """The home and help pages: they list the info points of their language,
    and find the page a URL names below them in one query."""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["info_points"] = InfoPoint.objects.filter(locale_id=self.locale_id)
        return context

    def route(self, request, path_components):
        """Find the page a URL names in one query, not one per level: every
        page whose URL is a prefix of the requested one, deepest last. The
        pages above the one served are kept for its breadcrumbs."""
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        found = Page.objects.filter(
            url_path__in=prefixes, path__startswith=self.path
        ).order_by("depth")
        chain = []
        for expected_depth, page in enumerate(found, start=self.depth + 1):
            if page.depth != expected_depth:
                break
            chain.append(page)
        if not chain:
            raise Http404
        request.programme_ancestors = [page for page in chain[:-1] if page.live]
        page = chain[-1].specific
        page._cached_parent_obj = chain[-2] if len(chain) > 1 else self
        return page.route(request, path_components[len(chain) :])


class HomePage(InfoPointsAndFastRoutingMixin, PublicPageMixin, Page):
    """The root of the public site in each language."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("search_lemmas"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.ProgrammePage",
        "home.HelpPage",
        "home.AccessibilityStatementPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class InfoPoint(TranslatableMixin, models.Model):
    """A place where foreigners get information and advice: one of the
    programme's "punkty informacyjno-doradcze" (PID) or the INFO.OPT hotline.
    Meetings of working groups can take place at one."""

    class Kind(models.TextChoices):
        POINT = "point", _("information and advice point")
        HOTLINE = "hotline", _("hotline")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.POINT)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    languages_served = models.CharField(
        _("languages served"), max_length=255, blank=True
    )
    accessibility = models.TextField(_("accessibility of the place"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("city"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("opening_hours"),
        FieldPanel("languages_served"),
        FieldPanel("accessibility"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = _("info point")
        verbose_name_plural = _("info points")

    def __str__(self):
        return f"{self.name}, {self.address}" if self.address else self.name


def _restricted_paths():
    """Tree paths of pages under a view restriction; remembered until a
    restriction changes (that empties the public cache)."""
    from wagtail.models import PageViewRestriction

    from home.cache import cached_value

    return cached_value(
        "restricted-paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def _published_tree(page, *models):
    """The live, public descendants of ``page`` of the given types, in tree
    order: one query per type, however many pages there are."""
    pages = []
    for model in models:
        pages += list(_public(model.objects.descendant_of(page)))
    return sorted(pages, key=lambda item: item.path)


def _public(queryset):
    """Live pages of ``queryset`` outside every view restriction."""
    queryset = queryset.live()
    for restricted in _restricted_paths():
        queryset = queryset.exclude(path__startswith=restricted)
    return queryset


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
            _public(self.get_children().not_type(StrategicGoalPage)).order_by("path")
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
        pages = _public(Page.objects.filter(translation_key__in=keys))
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


class HelpPage(InfoPointsAndFastRoutingMixin, PublicPage):
    """Where to get help: the info points and the hotline, as a list."""

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("where to get help")
        verbose_name_plural = _("where to get help pages")


class AccessibilityStatementPage(PublicPage):
    """The accessibility statement ("Deklaracja dostępności") in the structure
    the Act of 4 April 2019 on digital accessibility and its model statement
    require."""

    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    entity = models.CharField(_("public body"), max_length=255)
    website = models.CharField(_("website address"), max_length=255)
    published_on = models.DateField(_("date of publication of the website"))
    updated_on = models.DateField(_("date of the last major update"))
    compliance = models.CharField(
        _("compliance status"), max_length=10, choices=Compliance
    )
    non_accessible_content = RichTextField(
        _("content that is not accessible, and why"),
        blank=True,
        features=SUMMARY_FEATURES,
    )
    prepared_on = models.DateField(_("date the statement was prepared"))
    reviewed_on = models.DateField(_("date of the last review"), null=True, blank=True)
    assessment = models.CharField(
        _("how the statement was prepared"),
        max_length=255,
        help_text=_("E.g. a self-assessment by the public body."),
    )
    contact_person = models.CharField(_("contact person"), max_length=255)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=50)
    feedback = RichTextField(
        _("feedback and requests"), blank=True, features=SUMMARY_FEATURES
    )
    complaints_procedure = RichTextField(
        _("requests and complaints procedure"), features=SUMMARY_FEATURES
    )
    architectural_accessibility = RichTextField(
        _("architectural accessibility"), features=SUMMARY_FEATURES
    )
    mobile_apps = RichTextField(_("mobile applications"), features=SUMMARY_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("entity"),
                FieldPanel("website"),
                FieldRowPanel([FieldPanel("published_on"), FieldPanel("updated_on")]),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [FieldPanel("compliance"), FieldPanel("non_accessible_content")],
            heading=_("Compliance status"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("reviewed_on")]),
                FieldPanel("assessment"),
            ],
            heading=_("Preparation of the statement"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_person"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("feedback"),
            ],
            heading=_("Feedback and contact details"),
        ),
        FieldPanel("complaints_procedure"),
        FieldPanel("architectural_accessibility"),
        FieldPanel("mobile_apps"),
        FieldPanel("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")


class OutgoingEmail(models.Model):
    """One e-mail as the site queued it (``home.outbox``): kept until the mail
    server took it, or until it was refused for good or given up, so that a
    mail server outage delays mail instead of losing it, and whoever sent it
    can see what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=30, blank=True)
    from_email = models.CharField(_("from"), max_length=300)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    subject = models.TextField(_("subject"), blank=True)
    body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sent or given up"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")

    def __str__(self):
        return f"{self.recipients}: {self.subject}"

    @property
    def recipients(self):
        return ", ".join(self.to + self.cc + self.bcc)
