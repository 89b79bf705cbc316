"""People's pictures in the admin: the initials of their name drawn by the
site itself. Wagtail would ask an outside avatar service (Gravatar), which
the admin's policy blocks and which would tell that service who works here;
the platform runs in a closed network (docs/architecture.md)."""

import hashlib
from urllib.parse import quote

from django.utils.html import escape

# Background colours dark enough for white initials (contrast ≥ 4.5:1).
COLOURS = ["#1d4e89", "#7a2e8e", "#0b6e4f", "#8a3b12", "#4a4a4a", "#9b1c31"]


def initials(user):
    names = [user.first_name, user.last_name]
    letters = "".join(name.strip()[:1] for name in names if name and name.strip())
    if not letters:
        letters = (user.get_username() or user.email or "?")[:1]
    return letters.upper()


def initials_url(user, size):
    """A ``data:`` URL of a square SVG with the person's initials."""
    digest = hashlib.sha256(str(user.pk).encode()).digest()
    colour = COLOURS[digest[0] % len(COLOURS)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100"><rect width="100" height="100" fill="{colour}"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif" font-size="42">{escape(initials(user))}</text>'
        "</svg>"
    )
    return "data:image/svg+xml;charset=utf-8," + quote(svg)
