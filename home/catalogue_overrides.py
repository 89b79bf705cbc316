"""allauth's strings whose translation in allauth's own catalogue is wrong
(Polish "Wprowadż" for "Wprowadź"). Listed here so that ``makemessages``
keeps them in our catalogues, which Django reads before allauth's
(``LOCALE_PATHS``); nothing imports this module, only makemessages reads it."""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    gettext_noop("Enter Password Reset Code"),
    gettext_noop("Enter your password:"),
]
