"""Building evidence API requests, including multipart bodies with names no client library
would send (Django's test client keeps only the base name of a file)."""

import uuid

from django.urls import reverse

BOUNDARY = "----RecourseTestBoundary7MA4YWxkTrZu0gW"


def list_url(case) -> str:
    return reverse("evidence-api:evidence-list", kwargs={"reference": case.reference})


def item_url(item, name="evidence-detail", *, reference=None) -> str:
    return reverse(
        f"evidence-api:{name}",
        kwargs={"reference": reference or item.case.reference, "evidence_id": item.pk},
    )


def multipart(fields: dict, *, file: tuple[str, bytes] | None) -> bytes:
    """A multipart/form-data body; `file` is (filename, bytes), the name sent as raw UTF-8
    the way browsers do."""
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    if file is not None:
        filename, data = file
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def upload(client, case, data: bytes | None, name="截图.png", *, kind="screenshot", **fields):
    """POST one file; `data=None` sends no file part at all."""
    body = multipart(
        {"kind": kind, **fields} if kind is not None else fields,
        file=None if data is None else (name, data),
    )
    return client.post(
        list_url(case), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def random_id() -> uuid.UUID:
    return uuid.uuid4()


def attach(actor, case, *, data: bytes, name="截图.png", kind="screenshot", description=""):
    """Evidence put on a case through the service, for tests about what follows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.services import evidence_attach

    return evidence_attach(
        actor=actor,
        case=case,
        upload=SimpleUploadedFile(name, data),
        kind=kind,
        description=description,
    )
