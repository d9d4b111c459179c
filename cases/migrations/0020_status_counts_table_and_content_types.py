"""Issue 12, step 2 of 2: the per-status counts' table takes this app's name, and the admin's
content types (and with them permissions and admin log entries) follow every moved model to
its new app instead of being created afresh."""

from django.db import migrations

from config.migration_operations import RenameConstraint

# (old app, model, new app)
MOVED = [
    ("cases", "calendaroverride", "deadlines"),
    ("cases", "deadlinerule", "deadlines"),
    ("cases", "deadline", "deadlines"),
    ("cases", "notification", "notifications"),
    ("desk", "casestatuscount", "cases"),
]


def _relabel(apps, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, model, new_app in moves:
        # A database migrated before this one has the old rows (a fresh one has none yet:
        # they are created after all migrations). Where both exist, the old keeps its links.
        if ContentType.objects.filter(app_label=new_app, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old_app, model=model).update(app_label=new_app)


def forwards(apps, schema_editor):
    _relabel(apps, MOVED)


def backwards(apps, schema_editor):
    _relabel(apps, [(new, model, old) for old, model, new in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_move_models_state"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("deadlines", "0002_rename_tables"),
        ("desk", "0002_status_counts_to_cases"),
        ("notifications", "0002_rename_tables"),
    ]

    operations = [
        migrations.AlterModelTable(name="casestatuscount", table=None),
        RenameConstraint(
            "casestatuscount",
            "desk_casestatuscount_status_valid",
            "cases_casestatuscount_status_valid",
        ),
        migrations.RunPython(forwards, backwards),
    ]
