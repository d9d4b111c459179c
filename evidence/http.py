"""How evidence leaves the server: the same response for the web and the API."""

import base64
import logging

from django.http import FileResponse, Http404

from evidence.files import portable_name
from evidence.models import EvidenceItem

logger = logging.getLogger(__name__)

# The bytes are the seller's, not ours: never let a browser run or render them as our page.
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def evidence_file_response(item: EvidenceItem, *, thumbnail: bool = False) -> FileResponse:
    """The original bytes (or the thumbnail) as an attachment under the original name, made safe
    to save on any system (evidence.files.portable_name).

    FileResponse writes `filename*=utf-8''…` (RFC 5987) for non-ASCII names, so Chinese names
    arrive intact."""
    try:
        return _file_response(item, thumbnail=thumbnail)
    except FileNotFoundError:
        # The row says the file exists and storage says not: verify_evidence reports it; the
        # user gets a 404 rather than a crash.
        logger.error("Evidence %s (%s) is missing from storage", item.pk, item.stored_name)
        raise Http404("The file is missing from storage.") from None


def _file_response(item: EvidenceItem, *, thumbnail: bool) -> FileResponse:
    if thumbnail:
        response = FileResponse(
            item.open_thumbnail(),
            content_type="image/jpeg",
            as_attachment=False,
            filename=f"thumbnail-{item.pk}.jpg",
        )
    else:
        response = FileResponse(
            item.open_file(),
            content_type=item.content_type,
            as_attachment=True,
            filename=portable_name(item.original_name),
        )
        response["Content-Length"] = str(item.size)
        response["ETag"] = f'"{item.sha256}"'
        # RFC 9530: lets a client check the download against the stored hash.
        digest = base64.b64encode(bytes.fromhex(item.sha256)).decode()
        response["Repr-Digest"] = f"sha-256=:{digest}:"
    for header, value in _HEADERS.items():
        response[header] = value
    return response
