"""Issue 12: the per-status counts belong to `cases` now (cases 0019 takes them over, table and
all; cases 0020 renames the table). In Django's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_initial"),
        ("cases", "0019_move_models_state"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name="casestatuscount", name="desk_casestatuscount_status_valid"
                ),
                migrations.DeleteModel(name="CaseStatusCount"),
            ],
        ),
    ]
