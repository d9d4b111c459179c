from django.db import migrations, models
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    """The rule key of each case's next running clock, as `case_refresh_urgency` writes it:
    one UPDATE over the cases that have one."""
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    rule = (
        Deadline.objects.filter(case=OuterRef("pk"), state="running")
        .order_by("due_at", "id")
        .annotate(key=KeyTextTransform("key", "rule_snapshot"))
        .values("key")[:1]
    )
    Case.objects.filter(next_due_at__isnull=False).update(
        next_due_rule=Coalesce(Subquery(rule), Value(""), output_field=CharField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_awaiting_reply"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="next_due_rule",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=60,
                verbose_name="next clock's rule",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
