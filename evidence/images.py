"""How big an image may be, and thumbnails made within a bounded amount of memory.

No Django here: the memory test runs `thumbnail_jpeg` in a bare subprocess to measure it.

A PNG, WebP or GIF is decoded whole before it can be scaled down, at up to 4 bytes a pixel, so
their budget is what a worker can decode and stay near 200 MB: 24 megapixels (6,000 x 4,000,
about 96 MB decoded). A JPEG is decoded at 1/2, 1/4 or 1/8 of its size when only a thumbnail
is wanted (Pillow's draft mode), so it may be larger: 64 megapixels covers the 48 and 50 MP
photos of current phones. Pillow's own limit (89 MP, a warning) is far above both: a 343 KB
PNG of 9,400 x 9,400 passed it and took a worker to 776 MB.
"""

import warnings
from io import BytesIO

from PIL import Image

PIXEL_BUDGET = {"JPEG": 64_000_000}
DEFAULT_PIXEL_BUDGET = 24_000_000
THUMBNAIL_SIZE = 320


def pixel_budget(image_format: str | None) -> int:
    return PIXEL_BUDGET.get(image_format or "", DEFAULT_PIXEL_BUDGET)


def over_budget(image: Image.Image) -> bool:
    width, height = image.size
    return width * height > pixel_budget(image.format)


class OverBudget(ValueError):
    pass


def thumbnail_jpeg(stream, size: int = THUMBNAIL_SIZE) -> bytes:
    """A JPEG at most `size` pixels wide and high of the image in `stream`. Raises OverBudget
    for an image beyond the budget (accepted before there was one), and Pillow's errors for a
    damaged one; never decodes more than the budget."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(stream) as image:
            if over_budget(image):
                raise OverBudget(f"{image.size[0]} x {image.size[1]} {image.format}")
            # JPEG: decode at the smallest scale still at least twice the thumbnail (draft
            # mode); thumbnail() then halves by whole factors (reduce) before resampling.
            image.draft("RGB", (size * 2, size * 2))
            image.thumbnail((size, size), reducing_gap=2.0)
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = BytesIO()
            image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
