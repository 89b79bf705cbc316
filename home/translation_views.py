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


def translation_export(request, page_id, language):
    source, translation = _pair_or_404(request, page_id, language)
    response = HttpResponse(
        translation_po.export_po(source, translation),
        content_type="text/x-gettext-translation; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{source.slug}-{language}.po"
    )
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("PO file with the translation"))


def translation_import(request, page_id, language):
    source, translation = _pair_or_404(request, page_id, language)
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
            messages.success(
                request,
                _("%(count)s parts of the translation updated; review and publish.")
                % {"count": changed},
            )
            return redirect("wagtailadmin_pages:edit", translation.pk)
    return TemplateResponse(
        request,
        "home/admin/translation_import.html",
        {
            "form": form,
            "source": source,
            "translation": translation,
            "export_url": reverse(
                "home_translations:export", args=[source.pk, language]
            ),
        },
    )
