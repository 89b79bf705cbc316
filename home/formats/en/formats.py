# English for readers in Poland: day before month and a 24-hour clock, as
# the site's times are Europe/Warsaw (Django's "en" is American: 12/02/2026
# 6:17 a.m., which a European reader takes for the 12th of February).
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
