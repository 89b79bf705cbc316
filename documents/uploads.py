"""What may be attached to a draft: a short list of document and image types,
recognised by their content, never by the name alone (docs/security.md, IN-03..05)."""

import hashlib
import re
import unicodedata
import zipfile
from pathlib import PurePosixPath, PureWindowsPath

import filetype

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# extension → content type the file must turn out to be
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "csv": "text/csv",
}
_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_INVISIBLE = re.compile(
    r"[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)
_UNSAFE = re.compile(r'[\\/:*?"<>|;]')


def max_size():
    return getattr(settings, "DRAFT_ATTACHMENT_MAX_SIZE", 20 * 1024 * 1024)


def clean_name(name):
    """A display name safe anywhere: no path, no control or direction-changing
    characters, NFC, at most 150 characters (the extension kept)."""
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = _UNSAFE.sub("_", _INVISIBLE.sub("", unicodedata.normalize("NFC", name)))
    name = name.strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem[: 150 - len(extension) - 1] or _("file")
    return f"{stem}.{extension}" if extension else stem


def _sniff(extension, head, upload):
    """The content type the bytes show, or ``None`` if they show none we accept."""
    if extension == "csv":
        if b"\x00" in head:
            return None
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is fine.
            if error.start < len(head) - 4:
                return None
        return "text/csv"
    if extension in ("doc", "xls", "ppt"):
        return ALLOWED[extension] if head.startswith(OLE_MAGIC) else None
    if extension in _OOXML_PART:
        return _ooxml_type(extension, upload)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _ooxml_type(extension, upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" in names and any(
        name.startswith(_OOXML_PART[extension]) for name in names
    ):
        return ALLOWED[extension]
    return None


def validate_upload(upload):
    """The file's clean name, content type and SHA-256, or a ValidationError
    saying why it is refused."""
    if upload.size > max_size():
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_size()),
            },
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    name = clean_name(upload.name or "")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            _(
                "Files of this type cannot be attached. Allowed: PDF, office "
                "documents (DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT), "
                "images (PNG, JPG, GIF, WEBP) and CSV."
            ),
            code="type",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    if _sniff(extension, head, upload) != ALLOWED[extension]:
        raise ValidationError(
            _("The file's content is not what its name says (.%(extension)s).")
            % {"extension": extension},
            code="content",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, ALLOWED[extension], digest.hexdigest()
