"""What an uploaded file is (by its content, never its name), what it may be called, and
streaming it into storage while hashing it."""

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from django.core.files.base import File
from django.utils.translation import gettext as _

from config.errors import UnsupportedMediaError

# Enough for libmagic to recognise every accepted type, and for a browser's own sniffing window.
SNIFF_BYTES = 8192
NAME_MAX_LENGTH = 200


@dataclass(frozen=True)
class AcceptedType:
    label: str
    extensions: frozenset[str]
    is_image: bool = False


def _t(label, *extensions, image=False):
    return AcceptedType(label, frozenset(extensions), image)


_TEXT = (".txt", ".csv", ".log")
# Sniffed MIME type -> what we accept under it. Anything else is refused.
ACCEPTED: dict[str, AcceptedType] = {
    "image/jpeg": _t("JPEG", ".jpg", ".jpeg", image=True),
    "image/png": _t("PNG", ".png", image=True),
    "image/webp": _t("WebP", ".webp", image=True),
    "image/gif": _t("GIF", ".gif", image=True),
    "image/heic": _t("HEIC", ".heic", ".heif"),
    "image/heif": _t("HEIC", ".heic", ".heif"),
    "video/mp4": _t("MP4", ".mp4", ".m4v"),
    "video/quicktime": _t("MOV", ".mov"),
    "video/webm": _t("WebM", ".webm"),
    "application/pdf": _t("PDF", ".pdf"),
    "text/plain": _t(_("plain text"), *_TEXT),
    "text/csv": _t("CSV", *_TEXT),
    "message/rfc822": _t("EML", ".eml"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _t("DOCX", ".docx"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _t("XLSX", ".xlsx"),
}
ACCEPTED_LABELS = "JPEG, PNG, WebP, GIF, HEIC, MP4, MOV, WebM, PDF, TXT, CSV, DOCX, XLSX, EML"

# Office files are zip archives; libmagic names them only when the parts come in the usual
# order. The part that makes a zip a document, for the check that follows.
_OFFICE_PARTS = {
    ".docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}

# Markup a browser would render as a page if it ever sniffed the bytes: a PDF or image that
# carries it in its first kilobytes is a polyglot, refused whatever libmagic calls it.
_MARKUP = re.compile(rb"<\s*(html|script|svg|iframe|body|head|meta|!doctype\s+html)\b", re.I)


def _refuse(message: str) -> UnsupportedMediaError:
    return UnsupportedMediaError(
        # One sentence pattern, so each language joins reason and list its own way.
        _("%(reason)s Accepted: %(types)s.") % {"reason": message, "types": ACCEPTED_LABELS},
        code="unsupported_type",
        field="file",
        accepted=ACCEPTED_LABELS.split(", "),
    )


def sniff(head: bytes) -> str:
    return magic.from_buffer(head, mime=True)


def check_type(*, head: bytes, name: str, open_file=None) -> str:
    """The content type of an upload from its first bytes, or UnsupportedMediaError.

    `open_file` (a binary file object over the whole upload) is needed only to look inside
    a zip that claims to be a .docx or .xlsx."""
    extension = PurePosixPath(name.lower()).suffix
    content_type = sniff(head)
    office_types = {mime for _part, mime in _OFFICE_PARTS.values()}
    if extension in _OFFICE_PARTS and (
        content_type in office_types
        or content_type in ("application/zip", "application/octet-stream")
    ):
        # Whatever libmagic says, look inside: the zip must hold the document's own part
        # and no macros.
        if open_file is None or not _is_office(open_file, extension):
            raise _refuse(_("This is not a %(type)s document.") % {"type": extension[1:].upper()})
        content_type = _OFFICE_PARTS[extension][1]
    accepted = ACCEPTED.get(content_type)
    if accepted is None:
        raise _refuse(
            _("This file is %(type)s, which Recourse does not keep.") % {"type": content_type}
        )
    if extension not in accepted.extensions:
        raise _refuse(
            _("The file's content is %(type)s but its name ends in “%(ext)s”.")
            % {"type": accepted.label, "ext": extension or _("nothing")}
        )
    if not content_type.startswith("text/") and _MARKUP.search(head[:4096]):
        raise _refuse(_("This %(type)s file also contains a web page.") % {"type": accepted.label})
    return content_type


def _is_office(open_file, extension: str) -> bool:
    part = _OFFICE_PARTS[extension][0]
    try:
        open_file.seek(0)
        with zipfile.ZipFile(open_file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        open_file.seek(0)
    # Macro-enabled documents hide code in vbaProject.bin: not evidence we want to hand on.
    return (
        "[Content_Types].xml" in names
        and part in names
        and not any(n.endswith("vbaProject.bin") for n in names)
    )


_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def clean_name(name: str) -> str:
    """A safe display name: no path, no control or bidi characters, at most 200 characters,
    the extension kept. Chinese stays Chinese."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _UNSAFE_CATEGORIES)
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:16]
    if not stem:
        stem = _("file")
    room = NAME_MAX_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or _("file")
    return f"{stem}.{extension}" if extension else stem


class HashingFile(File):
    """Wraps an upload so that whatever storage reads from it is hashed and counted on the way,
    chunk by chunk: the file is never held in memory whole."""

    def __init__(self, file):
        super().__init__(file, name=getattr(file, "name", None))
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def _seen(self, data: bytes) -> bytes:
        self.sha256.update(data)
        self.bytes_read += len(data)
        return data

    def chunks(self, chunk_size=None):
        self.seek(0)
        for chunk in iter(lambda: self.file.read(chunk_size or self.DEFAULT_CHUNK_SIZE), b""):
            yield self._seen(chunk)

    def read(self, size=-1):
        return self._seen(self.file.read(size))

    def seek(self, *args):
        # Storage backends that rewind restart the hash with the stream.
        if args and args[0] == 0:
            self.sha256, self.bytes_read = hashlib.sha256(), 0
        return self.file.seek(*args)


def sha256_of(stream, chunk_size: int = 1024 * 1024) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        digest.update(chunk)
    return digest.hexdigest()


def read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head
