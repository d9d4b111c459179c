"""Issue 12, step 2 of 2: the per-status counts' table takes this app's name, and the admin's
content types (and with them permissions and admin log entries) follow every moved model to
its new app instead of being created afresh."""

from django.db import migrations

from config.migration_operations import RenameConstraint, rename_postgres_leftovers

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
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    for old_app, model, new_app in moves:
        old = ContentType.objects.filter(app_label=old_app, model=model).first()
        if old is None:  # a fresh database: the rows are created after all migrations
            continue
        new = ContentType.objects.filter(app_label=new_app, model=model).first()
        if new is not None:
            # A `migrate` that stopped before this one created the new rows already. The old
            # ones carry the links (groups' and users' permissions, the admin's history):
            # fold the new into them rather than leave those links on a stale row.
            for permission in Permission.objects.filter(content_type=new):
                kept = Permission.objects.filter(
                    content_type=old, codename=permission.codename
                ).first()
                if kept is None:
                    permission.content_type = old
                    permission.save(update_fields=["content_type"])
                    continue
                for group in permission.group_set.all():
                    group.permissions.add(kept)
                for user in permission.user_set.all():
                    user.user_permissions.add(kept)
                permission.delete()
            LogEntry.objects.filter(content_type=new).update(content_type=old)
            new.delete()
        old.app_label = new_app
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _relabel(apps, MOVED)


def backwards(apps, schema_editor):
    _relabel(apps, [(new, model, old) for old, model, new in MOVED])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_move_models_state"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("deadlines", "0002_rename_tables"),
        ("desk", "0002_status_counts_to_cases"),
        ("notifications", "0002_rename_tables"),
    ]

    operations = [
        migrations.AlterModelTable(name="casestatuscount", table=None),
        rename_postgres_leftovers(
            "desk_casestatuscount", "cases_casestatuscount", like_columns=["status"]
        ),
        RenameConstraint(
            "casestatuscount",
            "desk_casestatuscount_status_valid",
            "cases_casestatuscount_status_valid",
        ),
        migrations.RunPython(forwards, backwards),
    ]
