"""The clocks' models, taken over from `cases` (cases 0019) with their tables as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0019_move_models_state'),
        ('channels', '0002_external_bodies'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns them moves.
            state_operations=[
                migrations.CreateModel(
                    name='CalendarOverride',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('region', models.CharField(default='CN', max_length=8, verbose_name='region')),
                        ('is_working_day', models.BooleanField(verbose_name='working day')),
                        ('source', models.CharField(max_length=300, verbose_name='source')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                    ],
                    options={
                        'verbose_name': 'calendar override',
                        'verbose_name_plural': 'calendar overrides',
                        'db_table': 'cases_calendaroverride',
                        'ordering': ['date'],
                        'constraints': [models.UniqueConstraint(fields=('date', 'region'), name='cases_calendaroverride_one_per_day')],
                    },
                ),
                migrations.CreateModel(
                    name='DeadlineRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=60, unique=True, verbose_name='key')),
                        ('name', models.CharField(max_length=200, verbose_name='name (English)')),
                        ('name_zh', models.CharField(max_length=200, verbose_name='name (Chinese)')),
                        ('trigger', models.CharField(choices=[('status_entered', 'Case enters a status'), ('contact_logged', 'Contact logged'), ('detail_date', 'Date in the case details')], max_length=20, verbose_name='trigger')),
                        ('trigger_statuses', models.JSONField(blank=True, default=list, verbose_name='statuses entered')),
                        ('trigger_filing_type', models.CharField(blank=True, max_length=20, verbose_name='filing type')),
                        ('trigger_bodies', models.JSONField(blank=True, default=list, verbose_name='bodies')),
                        ('trigger_detail', models.CharField(blank=True, max_length=40, verbose_name='detail date')),
                        ('case_kinds', models.JSONField(blank=True, default=list, verbose_name='case kinds')),
                        ('platforms', models.JSONField(blank=True, default=list, verbose_name='platforms')),
                        ('priority', models.CharField(blank=True, max_length=16, verbose_name='priority')),
                        ('duration', models.PositiveIntegerField(verbose_name='duration')),
                        ('unit', models.CharField(choices=[('hours', 'Hours'), ('working_days', 'Working days'), ('natural_days', 'Natural days'), ('months', 'Months'), ('years', 'Years'), ('until_date', 'Until a given date')], max_length=16, verbose_name='unit')),
                        ('roll_over', models.BooleanField(default=False, verbose_name='rolls over a rest day')),
                        ('warn_before', models.JSONField(blank=True, default=list, verbose_name='warn before')),
                        ('on_breach', models.JSONField(blank=True, default=list, verbose_name='on breach')),
                        ('suggestion', models.CharField(blank=True, max_length=300, verbose_name='suggested next step (English)')),
                        ('suggestion_zh', models.CharField(blank=True, max_length=300, verbose_name='suggested next step (Chinese)')),
                        ('waiting_on', models.CharField(choices=[('platform', 'The platform'), ('seller', 'You'), ('body', 'The external body')], max_length=16, verbose_name='waiting on')),
                        ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
                        ('secondary', models.BooleanField(default=False, help_text='Platform figures to verify.', verbose_name='secondary source')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'deadline rule',
                        'verbose_name_plural': 'deadline rules',
                        'db_table': 'cases_deadlinerule',
                        'ordering': ['key'],
                        'indexes': [models.Index(fields=['trigger', 'active'], name='cases_rule_trigger')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('unit__in', ['hours', 'working_days', 'natural_days', 'months', 'years', 'until_date'])), name='cases_deadlinerule_unit_valid'), models.CheckConstraint(condition=models.Q(('trigger__in', ['status_entered', 'contact_logged', 'detail_date'])), name='cases_deadlinerule_trigger_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='Deadline',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule_snapshot', models.JSONField(default=dict, verbose_name='rule snapshot')),
                        ('state', models.CharField(choices=[('running', 'Running'), ('paused', 'Paused'), ('met', 'Met'), ('breached', 'Breached'), ('cancelled', 'Cancelled')], default='running', max_length=16, verbose_name='state')),
                        ('waiting_on', models.CharField(choices=[('platform', 'The platform'), ('seller', 'You'), ('body', 'The external body')], max_length=16, verbose_name='waiting on')),
                        ('started_at', models.DateTimeField(verbose_name='started at')),
                        ('due_at', models.DateTimeField(verbose_name='due at')),
                        ('warn_at', models.DateTimeField(blank=True, null=True, verbose_name='warn at')),
                        ('warnings_sent', models.PositiveSmallIntegerField(default=0, verbose_name='warnings sent')),
                        ('provisional', models.BooleanField(default=False, verbose_name='provisional')),
                        ('paused_at', models.DateTimeField(blank=True, null=True, verbose_name='paused at')),
                        ('remaining', models.DurationField(blank=True, null=True, verbose_name='remaining when paused')),
                        ('settled_at', models.DateTimeField(blank=True, null=True, verbose_name='settled at')),
                        ('paused_by_staff', models.BooleanField(default=False, verbose_name='paused by staff')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadlines', to='cases.case')),
                        ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='deadlines', to='channels.channelentry')),
                        ('rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deadlines', to='deadlines.deadlinerule')),
                    ],
                    options={
                        'verbose_name': 'deadline',
                        'verbose_name_plural': 'deadlines',
                        'db_table': 'cases_deadline',
                        'ordering': ['due_at', 'id'],
                        'indexes': [models.Index(condition=models.Q(('state', 'running')), fields=['due_at'], name='cases_deadline_due_running'), models.Index(condition=models.Q(('state', 'running'), ('warn_at__isnull', False)), fields=['warn_at'], name='cases_deadline_warn_running'), models.Index(fields=['case', 'state', 'due_at'], name='cases_deadline_case'), models.Index(condition=models.Q(('state', 'breached')), fields=['-settled_at', '-id'], name='cases_deadline_breached')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('state__in', ['running', 'paused', 'met', 'breached', 'cancelled'])), name='cases_deadline_state_valid'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'paused'), _negated=True), ('remaining__isnull', False), _connector='OR'), name='cases_deadline_paused_keeps_remaining')],
                    },
                ),
            ],
        ),
    ]
