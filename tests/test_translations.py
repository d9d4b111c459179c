"""The Simplified Chinese catalogue is complete, well-formed and compiled, and the site speaks it.

The .po is read with a small parser of its own (no gettext tools needed), so these tests run on
any machine. Whether the catalogue still covers every string in the source is a different
question, answered by bin/check-translations (it runs makemessages, which needs gettext).
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
# %(name)s, %(count)d … and {name}; "%%" is a literal percent sign, not a placeholder.
_PERCENT = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifgeEGxXor]|%%")
_BRACE = re.compile(r"\{(\w*)\}")


def parse_po(text):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr ({index: text}),
    flags (set), obsolete (bool), line (where the entry starts). The header is msgid ""."""
    entries = []
    entry = None
    last = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "obsolete": False, "line": number}
            entries.append(entry)
        if line.startswith("#~"):
            entry["obsolete"] = True
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword.startswith("msgstr"):
                last = ("msgstr", int(index or 0))
                entry["msgstr"][last[1]] = value
            else:
                last = (keyword, None)
                entry[keyword] = value
        elif line.startswith('"') and last is not None:
            value = ast.literal_eval(line)
            if last[0] == "msgstr":
                entry["msgstr"][last[1]] += value
            else:
                entry[last[0]] += value
        else:
            raise AssertionError(f"{PO.name}:{number}: cannot read {raw!r}")
    return [e for e in entries if "msgid" in e]


@pytest.fixture(scope="module")
def entries():
    assert PO.exists(), f"{PO} is missing"
    return parse_po(PO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(entries):
    """Every live entry except the header."""
    return [e for e in entries if e["msgid"] and not e["obsolete"]]


def describe(entry):
    return f"{PO.name}:{entry['line']}: {entry['msgid']!r}"


def placeholders(text):
    return sorted(_PERCENT.findall(text)), sorted(_BRACE.findall(text))


def test_the_catalogue_has_hundreds_of_messages(messages):
    # A truncated or empty file would pass the checks below vacuously.
    assert len(messages) > 300


def test_the_header_says_chinese_with_one_plural_form(entries):
    header = next(e for e in entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    text = header["msgstr"][0]
    assert "Language: zh_Hans\n" in text
    assert "charset=UTF-8" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    problems = []
    for entry in messages:
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {describe(entry)}")
        if "msgid_plural" in entry and sorted(entry["msgstr"]) != [0]:
            problems.append(f"needs exactly msgstr[0] (nplurals=1): {describe(entry)}")
        if not entry["msgstr"] or not all(entry["msgstr"].values()):
            problems.append(f"untranslated: {describe(entry)}")
    assert not problems, "\n".join(problems)


def test_no_obsolete_entries_are_kept(entries):
    stale = [describe(e) for e in entries if e["obsolete"]]
    assert not stale, "\n".join(stale)


def test_translations_keep_every_placeholder(messages):
    problems = []
    for entry in messages:
        if "python-format" not in entry["flags"] and "python-brace-format" not in entry["flags"]:
            continue
        # The one Chinese form stands for the plural; it uses the plural's placeholders.
        source = entry.get("msgid_plural", entry["msgid"])
        for translation in entry["msgstr"].values():
            if placeholders(translation) != placeholders(source):
                problems.append(f"{describe(entry)} -> {translation!r}")
    assert not problems, "\n".join(problems)


def _only_placeholders_and_punctuation(msgid: str) -> bool:
    # "%(label)s:" or ", " carry no words: Chinese changes only their punctuation (：、).
    return not re.search(r"[A-Za-z]", re.sub(r"%\(\w+\)[sd]", "", msgid))


def test_translations_are_chinese(messages):
    """Catches a msgstr pasted as the English original. Names, codes and API vocabulary may
    stay as they are; everything else has at least one Chinese character."""
    allowed_as_is = {"Recourse", "— Recourse", "TikTok Shop", "SHA-256"}
    han = re.compile(r"[\u4e00-\u9fff]")
    english = [
        describe(e)
        for e in messages
        if e["msgid"] not in allowed_as_is
        and not _only_placeholders_and_punctuation(e["msgid"])
        and not any(han.search(s) for s in e["msgstr"].values())
    ]
    assert not english, "\n".join(english)


def test_the_compiled_catalogue_matches_the_po(messages):
    """The .mo is committed (`make run` needs no gettext): it must say what the .po says."""
    assert MO.exists(), f"{MO} is missing: run manage.py compilemessages"
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info().get("plural-forms", "").startswith("nplurals=1")
    stale = []
    for entry in messages:
        context = entry.get("msgctxt")
        expected = entry["msgstr"][0]
        if "msgid_plural" in entry:
            for n in (1, 2, 5):
                if context is None:
                    got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], n)
                else:
                    got = compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n)
                if got != expected:
                    stale.append(f"{describe(entry)} (n={n}): .mo has {got!r}")
        else:
            if context is None:
                got = compiled.gettext(entry["msgid"])
            else:
                got = compiled.pgettext(context, entry["msgid"])
            if got != expected:
                stale.append(f"{describe(entry)}: .mo has {got!r}")
    assert not stale, "run manage.py compilemessages -l zh_Hans:\n" + "\n".join(stale)


# --- The site in both languages ------------------------------------------------------------


@pytest.mark.django_db
def test_a_chinese_browser_gets_chinese_pages(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-CN", secure=True)
    page = response.text
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in page
    assert "登录" in page
    assert "注册账号" in page
    assert "Log in" not in page


@pytest.mark.django_db
def test_chinese_is_the_default_without_accept_language(client):
    page = client.get(reverse("accounts:signup"), secure=True).text
    assert "创建卖家账号" in page


@pytest.mark.django_db
def test_switching_to_english_and_back(client):
    login = reverse("accounts:login")
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": login},
        HTTP_ACCEPT_LANGUAGE="zh-CN",
        secure=True,
    )
    assert response.status_code == 302
    assert response["Location"] == login

    page = client.get(login, HTTP_ACCEPT_LANGUAGE="zh-CN", secure=True).text
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "登录" not in page

    client.post(reverse("set_language"), {"language": "zh-hans", "next": login}, secure=True)
    page = client.get(login, HTTP_ACCEPT_LANGUAGE="en", secure=True).text
    assert "登录" in page


@pytest.mark.django_db
def test_a_sellers_case_page_reads_in_chinese(client, alice, make_case):
    case = make_case(alice)
    client.force_login(alice)
    page = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN", secure=True).text
    for text in ("时间线", "下一步", "草稿", "已提交", "已撤回", "保证金退还", "添加备注"):
        assert text in page, text
