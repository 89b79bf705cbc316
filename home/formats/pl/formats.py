# Django's "pl" writes short dates with hyphens and two spaces before the
# time ("12-02-2026  06:17"); Polish writes them with dots.
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
