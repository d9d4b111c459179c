"""Issue 13: a decision has a result. The appeal window runs against a rejection or a partial
grant, and the deposit's refund-arrival clock against a grant (in part or in full: the part
granted must still arrive). Both count from when the decision was notified (cases 0021).
Where staff already narrowed a rule, theirs is kept."""

from django.db import migrations

DECISION_RESULTS = {
    "appeal.window": ["rejected", "partly_granted"],
    "appeal.window.tiktok_shop": ["rejected", "partly_granted"],
    "deposit.refund_arrival": ["granted", "partly_granted"],
}


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for key, results in DECISION_RESULTS.items():
        DeadlineRule.objects.filter(key=key, decision_results=[]).update(decision_results=results)


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(key__in=DECISION_RESULTS).update(decision_results=[])


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0004_rule_decision_and_roll_over_reason"),
        ("cases", "0021_decision_result"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
