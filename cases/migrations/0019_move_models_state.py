"""Issue 12, step 1 of 2: the clocks move to `deadlines`, the outbox to `notifications`, and the
per-status counts from `desk` into `cases`: in Django's state only, no table is touched here
(deadlines 0001, notifications 0001 and desk 0002 take their side; the 0002s/0020 rename the
tables).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0018_created_and_closed_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns them moves.
            state_operations=[
                migrations.CreateModel(
                    name='CaseStatusCount',
                    fields=[
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('filed', 'Filed'), ('in_review', 'In review'), ('info_requested', 'Information requested'), ('decided', 'Decided'), ('appealed', 'Appealed'), ('escalated', 'Escalated'), ('resolved', 'Resolved'), ('withdrawn', 'Withdrawn')], max_length=32, primary_key=True, serialize=False, verbose_name='status')),
                        ('count', models.BigIntegerField(default=0, verbose_name='count')),
                    ],
                    options={
                        'verbose_name': 'case count per status',
                        'verbose_name_plural': 'case counts per status',
                        'db_table': 'desk_casestatuscount',
                    },
                ),
                migrations.RemoveConstraint(
                    model_name='calendaroverride',
                    name='cases_calendaroverride_one_per_day',
                ),
                migrations.DeleteModel(
                    name='CalendarOverride',
                ),
                migrations.RemoveIndex(
                    model_name='deadline',
                    name='cases_deadline_due_running',
                ),
                migrations.RemoveIndex(
                    model_name='deadline',
                    name='cases_deadline_warn_running',
                ),
                migrations.RemoveIndex(
                    model_name='deadline',
                    name='cases_deadline_case',
                ),
                migrations.RemoveIndex(
                    model_name='deadline',
                    name='cases_deadline_breached',
                ),
                migrations.RemoveConstraint(
                    model_name='deadline',
                    name='cases_deadline_state_valid',
                ),
                migrations.RemoveConstraint(
                    model_name='deadline',
                    name='cases_deadline_paused_keeps_remaining',
                ),
                migrations.RemoveIndex(
                    model_name='deadlinerule',
                    name='cases_rule_trigger',
                ),
                migrations.RemoveConstraint(
                    model_name='deadlinerule',
                    name='cases_deadlinerule_unit_valid',
                ),
                migrations.RemoveConstraint(
                    model_name='deadlinerule',
                    name='cases_deadlinerule_trigger_valid',
                ),
                migrations.RemoveIndex(
                    model_name='notification',
                    name='cases_notif_unread',
                ),
                migrations.RemoveIndex(
                    model_name='notification',
                    name='cases_notif_outbox',
                ),
                migrations.RemoveIndex(
                    model_name='notification',
                    name='cases_notif_page',
                ),
                migrations.RemoveConstraint(
                    model_name='notification',
                    name='cases_notification_kind_valid',
                ),
                migrations.AddConstraint(
                    model_name='casestatuscount',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'filed', 'in_review', 'info_requested', 'decided', 'appealed', 'escalated', 'resolved', 'withdrawn'])), name='desk_casestatuscount_status_valid'),
                ),
                migrations.RemoveField(
                    model_name='deadline',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='deadline',
                    name='contact',
                ),
                migrations.RemoveField(
                    model_name='deadline',
                    name='rule',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='deadline',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.DeleteModel(
                    name='DeadlineRule',
                ),
                migrations.DeleteModel(
                    name='Deadline',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
            ],
        ),
    ]
