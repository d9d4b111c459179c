"""Small, real evidence files for the demo data (`seed_demo`), made in code: screenshots that
look like a phone's, a PDF notice, a chat log. They pass the same upload checks as any file.

Chinese text is drawn when a CJK font is installed (fonts-wqy-zenhei, Noto CJK, PingFang);
otherwise the English line of each pair, so the demo needs nothing extra."""

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
)


@functools.cache
def _font_path() -> str | None:
    return next((path for path in _CJK_FONTS if Path(path).exists()), None)


def _font(size: int):
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _text(line: tuple[str, str]) -> str:
    zh, en = line
    return zh if _font_path() else en


def _page(
    title: tuple[str, str], lines: list[tuple[str, str]], accent: str, size=(390, 700)
) -> Image.Image:
    """A phone screenshot: a coloured title bar, then cards of text."""
    image = Image.new("RGB", size, "#f4f5f7")
    draw = ImageDraw.Draw(image)
    width = size[0]
    draw.rectangle((0, 0, width, 28), fill="#111111")
    draw.text((16, 7), "10:24", fill="white", font=_font(13))
    draw.text((width - 60, 7), "5G  87%", fill="white", font=_font(13))
    draw.rectangle((0, 28, width, 84), fill=accent)
    draw.text((16, 44), _text(title), fill="white", font=_font(22))
    top = 100
    for line in lines:
        draw.rounded_rectangle((12, top, width - 12, top + 58), radius=10, fill="white")
        draw.text((26, top + 18), _text(line), fill="#1d2430", font=_font(17))
        top += 70
    return image


def png(title, lines, accent="#fe2c55") -> bytes:
    buffer = io.BytesIO()
    _page(title, lines, accent).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def jpeg(title, lines, accent="#ff5000") -> bytes:
    buffer = io.BytesIO()
    _page(title, lines, accent).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def pdf(title, lines) -> bytes:
    """A one-page A4-shaped document (an image inside a PDF, as scanned notices are)."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 70), _text(title), fill="#111111", font=_font(26))
    draw.line((60, 112, 535, 112), fill="#999999", width=1)
    top = 140
    for line in lines:
        draw.text((60, top), _text(line), fill="#222222", font=_font(16))
        top += 34
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72)
    return buffer.getvalue()


def text(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()
