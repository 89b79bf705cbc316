"""The editors' translation tools in the admin: the dashboard panel of
translations to do, and a page's translation as a PO file out and back in
(home/translations.py, home/translation_po.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.components import Component
from wagtail.models import Locale, Page

from home import translation_po, translations

PANEL_LIMIT = 50


def may_translate(user):
    return user.has_perm("simple_translation.submit_translation")


class TranslationsPanel(Component):
    """The dashboard's list of pages and info points whose translation is
    missing or outdated, with what changed and the ways to translate."""

    name = "translations"
    order = 150
    template_name = "home/admin/translations_panel.html"

    def get_context_data(self, parent_context):
        entries = translations.pages_to_translate()
        return {
            "entries": entries[:PANEL_LIMIT],
            "more": max(0, len(entries) - PANEL_LIMIT),
            "snippets": translations.snippets_to_translate()[:PANEL_LIMIT],
        }


def _pair_or_404(request, page_id, language):
    """The source page and its translation into ``language``, if the
    person may translate it."""
    source = Page.objects.filter(pk=page_id).first()
    locale = Locale.objects.filter(language_code=language).first()
    if source is None or locale is None:
        raise Http404
    if not (
        may_translate(request.user)
        and source.permissions_for_user(request.user).can_edit()
    ):
        raise PermissionDenied
    translation = source.get_translation_or_none(locale)
    if translation is None or translation.pk == source.pk:
        raise Http404
    return source.specific, translation.specific


def _info_point_pair_or_404(request, pk, language):
    """An info point of the site's language and its translation into
    ``language``, if the person may translate and edit info points."""
    from home.models import InfoPoint

    source = InfoPoint.objects.filter(pk=pk, locale=Locale.get_default()).first()
    locale = Locale.objects.filter(language_code=language).first()
    if source is None or locale is None:
        raise Http404
    if not (
        may_translate(request.user) and request.user.has_perm("home.change_infopoint")
    ):
        raise PermissionDenied
    translation = source.get_translation_or_none(locale)
    if translation is None or translation.pk == source.pk:
        raise Http404
    return source, translation


def _po_response(source, translation, name):
    response = HttpResponse(
        translation_po.export_po(source, translation),
        content_type="text/x-gettext-translation; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{name}-{translation.locale.language_code}.po"
    )
    return response


def translation_export(request, page_id, language):
    source, translation = _pair_or_404(request, page_id, language)
    return _po_response(source, translation, source.slug)


def info_point_export(request, pk, language):
    source, translation = _info_point_pair_or_404(request, pk, language)
    return _po_response(source, translation, f"info-point-{source.pk}")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("PO file with the translation"))


def _import(request, source, translation, *, export_url, done_url):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = translation_po.import_po(
                translation=translation,
                data=form.cleaned_data["file"].read(),
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _done_message(translation, changed))
            return redirect(done_url)
    return TemplateResponse(
        request,
        "home/admin/translation_import.html",
        {
            "form": form,
            "source": source,
            "translation": translation,
            "is_page": isinstance(translation, Page),
            "export_url": export_url,
        },
    )


def _done_message(translation, changed):
    if isinstance(translation, Page):
        message = _("%(count)s parts of the translation updated; review and publish.")
    else:
        message = _("%(count)s parts of the translation updated and saved.")
    return message % {"count": changed}


def translation_import(request, page_id, language):
    source, translation = _pair_or_404(request, page_id, language)
    return _import(
        request,
        source,
        translation,
        export_url=reverse("home_translations:export", args=[source.pk, language]),
        done_url=reverse("wagtailadmin_pages:edit", args=[translation.pk]),
    )


def info_point_import(request, pk, language):
    source, translation = _info_point_pair_or_404(request, pk, language)
    return _import(
        request,
        source,
        translation,
        export_url=reverse(
            "home_translations:info_point_export", args=[source.pk, language]
        ),
        done_url=reverse("wagtailsnippets_home_infopoint:edit", args=[translation.pk]),
    )
