"""The places where foreigners get information and advice, listed on the
home and help pages; meetings of working groups can take place at one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin, TranslatableMixin


class InfoPoint(TranslatableMixin, RevisionMixin, models.Model):
    """A place where foreigners get information and advice: one of the
    programme's "punkty informacyjno-doradcze" (PID) or the INFO.OPT hotline.
    Meetings of working groups can take place at one.

    Every save in the admin is a revision (and every point has one from its
    creation, home/signals.py), so that a translation can tell whether its
    Polish source changed since it was made (home/translations.py). There is
    no draft state: a saved point is public at once, as before."""

    # The text a translator translates (home/translation_po.py); the city,
    # street and phone stay as they are written.
    translatable_fields = ("name", "opening_hours", "languages_served", "accessibility")

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
