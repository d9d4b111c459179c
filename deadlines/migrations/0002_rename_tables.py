"""Issue 12, step 2 of 2: the clocks' tables, indexes and constraints take this app's names.
Renames only (PostgreSQL: ALTER … RENAME; no row is copied, no constraint re-checked)."""

from django.db import migrations

from config.migration_operations import RenameConstraint, rename_postgres_leftovers


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="calendaroverride", table=None),
        migrations.AlterModelTable(name="deadlinerule", table=None),
        migrations.AlterModelTable(name="deadline", table=None),
        rename_postgres_leftovers("cases_calendaroverride", "deadlines_calendaroverride"),
        rename_postgres_leftovers(
            "cases_deadlinerule", "deadlines_deadlinerule", like_columns=["key"]
        ),
        rename_postgres_leftovers("cases_deadline", "deadlines_deadline"),
        migrations.RenameIndex(
            model_name="deadlinerule", new_name="deadlines_rule_trigger", old_name="cases_rule_trigger"
        ),
        migrations.RenameIndex(
            model_name="deadline",
            new_name="deadlines_due_running",
            old_name="cases_deadline_due_running",
        ),
        migrations.RenameIndex(
            model_name="deadline",
            new_name="deadlines_warn_running",
            old_name="cases_deadline_warn_running",
        ),
        migrations.RenameIndex(
            model_name="deadline", new_name="deadlines_case", old_name="cases_deadline_case"
        ),
        migrations.RenameIndex(
            model_name="deadline", new_name="deadlines_breached", old_name="cases_deadline_breached"
        ),
        RenameConstraint(
            "calendaroverride",
            "cases_calendaroverride_one_per_day",
            "deadlines_calendaroverride_one_per_day",
        ),
        RenameConstraint(
            "deadlinerule", "cases_deadlinerule_unit_valid", "deadlines_deadlinerule_unit_valid"
        ),
        RenameConstraint(
            "deadlinerule",
            "cases_deadlinerule_trigger_valid",
            "deadlines_deadlinerule_trigger_valid",
        ),
        RenameConstraint(
            "deadline", "cases_deadline_state_valid", "deadlines_deadline_state_valid"
        ),
        RenameConstraint(
            "deadline",
            "cases_deadline_paused_keeps_remaining",
            "deadlines_deadline_paused_keeps_remaining",
        ),
    ]
