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
# carries it is a polyglot, refused whatever libmagic calls it. Whitespace is bounded so that a
# match can never be longer than the overlap kept between the chunks of the whole-file scan.
_MARKUP = re.compile(
    rb"<\s{0,16}(html|script|svg|iframe|body|head|meta|!doctype\s{1,16}html)\b", re.I
)
# Past the head only markup that runs is looked for, each name followed by what ends a tag
# name: compressed bytes spell "<svg" followed by any non-letter about once in 0.7 GB, which
# refused one 50 MB PDF in fourteen; these turn up by chance far less than once in a terabyte.
_ACTIVE_MARKUP = re.compile(
    rb"<\s{0,16}(script|iframe|html|!doctype\s{1,16}html)[\s/>]|<svg\s[^>]{0,200}xmlns", re.I
)
_MARKUP_OVERLAP = 256
SCAN_CHUNK = 1024 * 1024
# Scanned whole for markup: images and PDFs, which browsers and viewers render. Videos are
# compressed streams hundreds of megabytes long where "<head" turns up by chance (about one
# file in thirty at 100 MB), and are only ever sent as attachments: their head is checked.
_SCANNED_WHOLE = ("image/", "application/pdf")

# An Office document is a zip: what it may unpack to, as it declares and as it really does.
# A .docx of text and photos is a few megabytes unpacked; a zip bomb is gigabytes.
OFFICE_MAX_UNPACKED = 200 * 1024 * 1024
OFFICE_MAX_ENTRIES = 2000


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
    if not content_type.startswith("text/"):
        scan_whole = open_file is not None and content_type.startswith(_SCANNED_WHOLE)
        if _MARKUP.search(head) or (scan_whole and _contains_markup(open_file)):
            raise _refuse(
                _("This %(type)s file also contains a web page.") % {"type": accepted.label}
            )
        if content_type not in office_types and open_file is not None and _is_zip(open_file):
            # A GIF with a Java archive appended (a "GIFAR") opens as either.
            raise _refuse(
                _("This %(type)s file also contains an archive.") % {"type": accepted.label}
            )
    return content_type


def _contains_markup(open_file) -> bool:
    """The whole file, a chunk at a time (never read whole into memory), searched for markup;
    each chunk is searched together with the end of the one before, so nothing hides across
    a boundary."""
    open_file.seek(0)
    try:
        tail = b""
        for chunk in iter(lambda: open_file.read(SCAN_CHUNK), b""):
            window = tail + chunk
            if _ACTIVE_MARKUP.search(window):
                return True
            tail = window[-_MARKUP_OVERLAP:]
        return False
    finally:
        open_file.seek(0)


def _is_zip(open_file) -> bool:
    try:
        return zipfile.is_zipfile(open_file)
    finally:
        open_file.seek(0)


def _is_office(open_file, extension: str) -> bool:
    part = _OFFICE_PARTS[extension][0]
    try:
        open_file.seek(0)
        with zipfile.ZipFile(open_file) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if not (
                "[Content_Types].xml" in names
                and part in names
                # Macro-enabled documents hide code in vbaProject.bin: not evidence we want to
                # hand on.
                and not any(n.endswith("vbaProject.bin") for n in names)
            ):
                return False
            _check_unpacked_size(archive, entries)
    # RuntimeError: an encrypted entry; NotImplementedError: a compression method zipfile lacks.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
        NotImplementedError,
    ):
        return False
    finally:
        open_file.seek(0)
    return True


def _check_unpacked_size(archive: zipfile.ZipFile, entries) -> None:
    """Refuse a zip bomb: too many entries, or more unpacked bytes than the limit, by what the
    archive declares and by what really comes out (declarations can lie). Unpacks chunk by
    chunk and stops at the limit: a bomb costs at most the limit in CPU, nothing in memory."""
    too_big = _refuse(
        _("This document unpacks to more than %(limit)s MB, which no real document does.")
        % {"limit": OFFICE_MAX_UNPACKED // (1024 * 1024)}
    )
    if len(entries) > OFFICE_MAX_ENTRIES:
        raise _refuse(
            _("This document holds more than %(limit)s parts, which no real document does.")
            % {"limit": OFFICE_MAX_ENTRIES}
        )
    if sum(entry.file_size for entry in entries) > OFFICE_MAX_UNPACKED:
        raise too_big
    unpacked = 0
    for entry in entries:
        with archive.open(entry) as member:
            for chunk in iter(lambda member=member: member.read(SCAN_CHUNK), b""):
                unpacked += len(chunk)
                if unpacked > OFFICE_MAX_UNPACKED:
                    raise too_big


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


# Names Windows refuses for a file, whatever the extension (CON.txt too).
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')


def portable_name(name: str) -> str:
    """`name` as a file may be called on Windows as well as macOS and Linux: for the files in a
    bundle and the name a download is saved under (the manifest and the page keep the original).
    Characters Windows forbids become "_", a reserved device name gets a "_" in front, and the
    trailing dots and spaces Windows drops are removed."""
    name = _WINDOWS_FORBIDDEN.sub("_", name).rstrip(" .") or _("file")
    if name.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return name


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
