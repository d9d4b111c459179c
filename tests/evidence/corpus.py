"""Small files of every kind the upload rules must judge, built in code."""

import io
import zipfile

from PIL import Image


def png(size=(40, 30), colour=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" * 8
TXT = "2026-10-15 抖店客服：保证金退还审核中，请耐心等待。\n".encode()
CSV = "日期,金额\n2026-09-01,2000.00\n".encode()
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
POLYGLOT = PDF.replace(b"\n1 0 obj", b"\n<html><script>alert(1)</script></html>\n1 0 obj")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
ZIP_ARCHIVE = None  # built below


def _zip(parts) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in parts:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = _zip(["[Content_Types].xml", "_rels/.rels", "word/document.xml"])
DOCX_OUT_OF_ORDER = _zip(["word/document.xml", "_rels/.rels", "[Content_Types].xml"])
DOCM = _zip(["[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"])
ZIP_ARCHIVE = _zip(["photos/1.jpg", "photos/2.jpg"])
