"""`.env.example` documents every environment variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""env_(?:str|bool|int|list)\(\s*["']([A-Z0-9_]+)["']""")
LISTED = re.compile(r"^#?\s*([A-Z0-9_]+)=", re.MULTILINE)


def test_every_variable_the_settings_read_is_in_env_example():
    read = set()
    for module in (ROOT / "config").glob("*.py"):
        read |= set(READ.findall(module.read_text()))
    listed = set(LISTED.findall((ROOT / ".env.example").read_text()))

    assert read, "no env_*() calls found: did the settings helpers change name?"
    assert sorted(read - listed) == [], "add these to .env.example with a comment"
