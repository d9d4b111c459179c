"""A bad data file stops the loader with an error naming the case and the step, and writes
nothing."""

import pytest
from django.core.management import CommandError

from accounts.models import User
from cases.choices import EventKind
from cases.models import Case, CaseEvent
from demo import loader

pytestmark = pytest.mark.django_db

# One seller, one case, one note: the smallest file that loads.
SMALL = """
password = "recourse-demo"

[[users]]
username = "lina"
role = "seller"

[[cases]]
owner = "lina"
kind = "purchase_complaint"
platform = "jd"
title = "补光灯色温与描述不符"
created = "-3d 08:07"

[cases.details]
order_number = "298817736520"
amount_paid = "459.00"
merchant_name = "影途摄影器材专营店"
purchased_on = "-6d"
goods_received_on = "-5d"
issue = "not_as_described"

[[cases.steps]]
at = "-3d 10:07"
by = "lina"
do = "note"
note = "先收集色温实测照片。"
"""


def _write(tmp_path, text: str):
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_small_file_loads(tmp_path):
    assert loader.load(_write(tmp_path, SMALL)) == (1, 1, 1)
    assert (
        Case.objects.get().events.filter(kind=EventKind.NOTE, note="先收集色温实测照片。").exists()
    )


@pytest.mark.parametrize(
    ("step", "error"),
    [
        ('do = "fax"\ntext = "?"', r"unknown step type do = 'fax'; known: evidence, contact"),
        (
            'do = "contact"\nchannel = "regulator"\nfiling_type = "complaint"\nbody = "12316"\n'
            'summary = "投诉"',
            r"no body '12316' in the directory",
        ),
        (
            'do = "evidence"\nfile = "nowhere/photo.jpg"\nname = "实测.jpg"\nkind = "other"',
            r"no file 'nowhere/photo.jpg' in .*demo/files",
        ),
        ('do = "note"\nnote = "早了"\nat = "-4d 10:07"', r"comes before the step"),
        # Refused by the service itself, after the case was written: rolled back.
        ('do = "transition"\nto = "resolved"', r"step 2 \(transition\): "),
    ],
    ids=["unknown step type", "unknown body", "missing file", "out of order", "refused move"],
)
def test_a_bad_step_is_named_and_nothing_is_written(tmp_path, evidence_dir, step, error):
    at = "" if "\nat = " in step else 'at = "-2d 10:07"\n'
    path = _write(tmp_path, f'{SMALL}\n[[cases.steps]]\n{at}by = "lina"\n{step}\n')

    with pytest.raises(CommandError, match=r"case 1 \('补光灯色温与描述不符'\), step 2") as caught:
        loader.load(path)

    assert caught.match(error)
    assert not User.objects.exists()
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not any(evidence_dir.rglob("*"))


def test_a_file_that_is_not_toml_is_named(tmp_path):
    path = _write(tmp_path, SMALL.replace('role = "seller"', "role = seller"))

    with pytest.raises(CommandError, match=r"demo\.toml: .*line 6"):
        loader.load(path)
    assert not User.objects.exists()
