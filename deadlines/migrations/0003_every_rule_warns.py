"""Issue 13: every shipped rule warns. Four rules shipped without a warning (the exit review,
and the arbitration commission's, the court's and legal aid's decisions): a seller heard of
them only once they had run out. Each now warns a day (a working day for the exit review)
before. A rule staff already gave a warning keeps theirs; running clocks keep the snapshot
they started with, as for any rule edit."""

from django.db import migrations

WARN_BEFORE = {
    "deposit.exit_review": [1],
    "arbitration.accept": [1],
    "court.filing_decision": [1],
    "legal_aid.decision": [1],
}


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for key, warn_before in WARN_BEFORE.items():
        DeadlineRule.objects.filter(key=key, warn_before=[]).update(warn_before=warn_before)


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for key, warn_before in WARN_BEFORE.items():
        DeadlineRule.objects.filter(key=key, warn_before=warn_before).update(warn_before=[])


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_rename_tables")]

    operations = [migrations.RunPython(forwards, backwards)]
