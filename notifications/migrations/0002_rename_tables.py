"""Issue 12, step 2 of 2: the outbox's table, indexes and constraint take this app's names.
Renames only (PostgreSQL: ALTER … RENAME; no row is copied, no constraint re-checked)."""

from django.db import migrations

from config.migration_operations import RenameConstraint, rename_postgres_leftovers


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="notification", table=None),
        rename_postgres_leftovers("cases_notification", "notifications_notification"),
        migrations.RenameIndex(
            model_name="notification", new_name="notifications_page", old_name="cases_notif_page"
        ),
        migrations.RenameIndex(
            model_name="notification",
            new_name="notifications_unread",
            old_name="cases_notif_unread",
        ),
        migrations.RenameIndex(
            model_name="notification",
            new_name="notifications_outbox",
            old_name="cases_notif_outbox",
        ),
        RenameConstraint(
            "notification",
            "cases_notification_kind_valid",
            "notifications_notification_kind_valid",
        ),
    ]
