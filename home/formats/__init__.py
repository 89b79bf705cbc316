"""Per-language date formats where Django's own do not suit the site
(``FORMAT_MODULE_PATH``); a format not set here is Django's."""
