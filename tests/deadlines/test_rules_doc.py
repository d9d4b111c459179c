"""docs/deadline-rules.md is generated from the rules table (`manage.py deadline_rules_doc`): the
committed file must be what the command writes, so CI fails when the two drift."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.db import connections
from django.utils import translation

from deadlines.models import DeadlineRule
from deadlines.rules_doc import ROLLS, STAYS, render_rules_doc

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "deadline-rules.md"
OUT_OF_DATE = "docs/deadline-rules.md is out of date: run python manage.py deadline_rules_doc"


def rendered() -> str:
    out = StringIO()
    call_command("deadline_rules_doc", "--stdout", stdout=out)
    return out.getvalue()


def section(doc: str, key: str) -> str:
    """One rule's subsection, from its heading to the next."""
    heading = f"### `{key}`\n"
    assert heading in doc, key
    return doc.split(heading, 1)[1].split("\n### ", 1)[0]


def run_check(monkeypatch) -> int:
    """`manage.py deadline_rules_doc --check` as the shell runs it; its exit status."""
    # run_from_argv closes the database connections when it ends, which would end the test's
    # transaction (on PostgreSQL); there is nothing to close here.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    command = load_command_class("deadlines", "deadline_rules_doc")
    try:
        command.run_from_argv(["manage.py", "deadline_rules_doc", "--check"])
    except SystemExit as exit:
        return exit.code
    return 0


def test_the_committed_document_is_what_the_command_writes(monkeypatch):
    assert DOC.read_text(encoding="utf-8") == rendered(), OUT_OF_DATE
    assert run_check(monkeypatch) == 0


def test_an_edited_rule_changes_the_document_and_fails_the_check(monkeypatch, capsys):
    before = rendered()
    DeadlineRule.objects.filter(key="samr.accept_decision").update(
        duration=8, source="市场监督管理投诉举报处理暂行办法 Art 15"
    )

    after = rendered()
    assert after != before
    assert "8 working days" in section(after, "samr.accept_decision")
    assert "- **Source:** 市场监督管理投诉举报处理暂行办法 Art 15\n" in after
    capsys.readouterr()
    assert run_check(monkeypatch) == 1
    assert OUT_OF_DATE in capsys.readouterr().err


def test_writing_the_document_creates_the_file(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    call_command("deadline_rules_doc", stdout=StringIO())
    assert (tmp_path / "docs" / "deadline-rules.md").read_text(encoding="utf-8") == rendered()


def test_every_active_rule_appears_with_its_source():
    doc = rendered()
    rules = DeadlineRule.objects.filter(active=True)
    assert rules.count() >= 20
    for rule in rules:
        source = rule.source or "none recorded"
        assert f"- **Source:** {source}\n" in section(doc, rule.key), rule.key
        row = next(line for line in doc.splitlines() if line.startswith(f"| [`{rule.key}`]"))
        assert source in row, rule.key


def test_an_inactive_rule_is_listed_as_inactive():
    DeadlineRule.objects.filter(key="odr.firm_negotiation").update(active=False)
    doc = rendered()
    assert "**Inactive:**" in section(doc, "odr.firm_negotiation")
    assert "| [`odr.firm_negotiation`](#odrfirm_negotiation) (inactive) |" in doc


def test_a_working_day_rule_counts_working_days():
    text = section(rendered(), "samr.accept_decision")
    assert "- **Duration:** 7 working days (unit `working_days`)" in text
    assert "调休 working days count; ends at 24:00 on the 7th working day." in text
    assert "when 1 working day is left (at 00:00 of the last day)" in text


def test_a_statutory_rule_rolls_over_and_a_platform_rule_does_not():
    doc = rendered()
    court = section(doc, "court.appeal")
    assert "- **Duration:** 15 natural days" in court and ROLLS in court
    platform = section(doc, "appeal.window")
    assert "- **Duration:** 15 natural days" in platform and STAYS in platform


def test_the_roll_over_shown_is_the_rules_own():
    # Read from the row, whatever the row says: the document reports the data, never a default.
    rule = DeadlineRule.objects.get(key="consumer.no_reason_return")
    for roll_over in (False, True):
        rule.roll_over = roll_over
        rule.save(update_fields=["roll_over"])
        text = section(rendered(), rule.key)
        assert "- **Duration:** 7 natural days (unit `natural_days`)" in text
        assert (ROLLS if roll_over else STAYS) in text
        assert (STAYS if roll_over else ROLLS) not in text


def test_the_document_does_not_depend_on_row_order_or_language():
    rules = list(DeadlineRule.objects.order_by("key"))
    english = render_rules_doc(rules)
    with translation.override("zh-hans"):
        assert render_rules_doc(reversed(rules)) == english
    assert english.endswith("\n") and not english.endswith("\n\n")
