"""manage.py verify_evidence, and the weekly task that does the same."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from evidence.models import IntegrityCheck
from evidence.tasks import verify_all_evidence
from tests.evidence import corpus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _run(*args):
    out = io.StringIO()
    call_command("verify_evidence", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def two_cases(alice, bob, alice_case, make_case, attach):
    bob_case = make_case(bob)
    a1 = attach(alice, alice_case, data=corpus.png(), name="截图.png")
    a2 = attach(alice, alice_case, data=corpus.TXT, name="聊天记录.txt", kind="chat_log")
    b1 = attach(bob, bob_case, data=corpus.PDF, name="notice.pdf", kind="platform_notice")
    return alice_case, bob_case, (a1, a2, b1)


def test_intact_evidence_passes_with_exit_zero(two_cases):
    output = _run()
    assert "Checked 3 files." in output
    check = IntegrityCheck.objects.get()
    assert (check.checked, check.ok, check.scope) == (3, True, "")


def test_a_changed_byte_and_a_deleted_file_fail_and_are_both_reported(two_cases, evidence_dir):
    alice_case, bob_case, (_a1, a2, b1) = two_cases
    path = evidence_dir / a2.stored_name
    data = bytearray(path.read_bytes())
    data[5] ^= 0x01
    path.write_bytes(bytes(data))
    (evidence_dir / b1.stored_name).unlink()

    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("verify_evidence", stdout=out)
    output = out.getvalue()

    assert failure.value.returncode == 1
    assert "1 changed and 1 missing" in str(failure.value)
    assert "Checked 3 files." in output
    assert f"CHANGED  {alice_case.reference}  聊天记录.txt" in output
    assert f"expected: {a2.sha256}" in output
    assert "actual: " in output
    assert f"MISSING  {bob_case.reference}  notice.pdf" in output
    assert "截图.png" not in output  # intact files are not listed
    check = IntegrityCheck.objects.get()
    assert not check.ok
    assert [m["name"] for m in check.mismatches] == ["聊天记录.txt"]
    assert [m["name"] for m in check.missing] == ["notice.pdf"]


def test_case_limits_the_scope(two_cases, evidence_dir):
    alice_case, bob_case, (_a1, _a2, b1) = two_cases
    (evidence_dir / b1.stored_name).unlink()

    output = _run("--case", alice_case.reference)  # Bob's missing file is not looked at

    assert f"Checked 2 files of case {alice_case.reference}." in output
    assert IntegrityCheck.objects.get().scope == alice_case.reference
    with pytest.raises(CommandError):
        _run("--case", bob_case.reference)


def test_an_unknown_case_is_a_clear_error(two_cases):
    with pytest.raises(CommandError, match="There is no case RC-1999-000001"):
        _run("--case", "RC-1999-000001")
    assert not IntegrityCheck.objects.exists()


def test_the_weekly_task_records_a_check(two_cases, evidence_dir):
    _alice_case, _bob_case, (a1, _a2, _b1) = two_cases
    (evidence_dir / a1.stored_name).unlink()

    check_id = verify_all_evidence.delay().get()

    check = IntegrityCheck.objects.get(pk=check_id)
    assert (check.checked, check.ok, len(check.missing)) == (3, False, 1)
    assert check.finished_at is not None
