"""The public site's own pages: what every public page shares (a
lemmatised search field, the anonymous response cache), the home page of
each language, where to get help, and the accessibility statement."""

from django.db import models
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from home import lemmas
from home.blocks import ContentBlock
from home.cache import mark_cacheable
from home.models.info_points import InfoPoint
from home.restrictions import may_be_restricted

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

    def get_view_restrictions(self):
        """Wagtail's restrictions of this page and those above it, without
        their two queries where none can apply (``home.selectors``)."""
        if not may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


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
    api_fields = [APIField("summary"), APIField("body")]

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
        "home.DocumentsPage",
        "home.HelpPage",
        "home.AccessibilityStatementPage",
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


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
