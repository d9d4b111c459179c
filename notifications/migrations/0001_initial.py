"""The outbox's model, taken over from `cases` (cases 0019) with its table as it is.
"""

import cases.clock
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0019_move_models_state'),
        ('deadlines', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only Django's idea of which app owns them moves.
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('deadline_warning', 'Deadline due soon'), ('deadline_breached', 'Deadline breached'), ('status_changed', 'Status changed'), ('contact_logged', 'New contact'), ('evidence_added', 'New evidence'), ('case_changed', 'Case changed'), ('assigned', 'Case assigned to you'), ('message', 'New message')], max_length=24, verbose_name='kind')),
                        ('created_at', models.DateTimeField(default=cases.clock.now, verbose_name='created at')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                        ('email_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mail sent at')),
                        ('email_attempts', models.PositiveSmallIntegerField(default=0, verbose_name='e-mail attempts')),
                        ('email_next_at', models.DateTimeField(blank=True, null=True, verbose_name='next e-mail attempt')),
                        ('email_error', models.CharField(blank=True, max_length=500, verbose_name='last e-mail error')),
                        ('email_wanted', models.BooleanField(default=True, verbose_name='e-mail wanted')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='cases.case')),
                        ('deadline', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='deadlines.deadline')),
                        ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='cases.caseevent')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'db_table': 'cases_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', '-created_at', '-id'], name='cases_notif_page'), models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='cases_notif_unread'), models.Index(condition=models.Q(('email_sent_at__isnull', True), ('email_wanted', True)), fields=['created_at'], name='cases_notif_outbox')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['deadline_warning', 'deadline_breached', 'status_changed', 'contact_logged', 'evidence_added', 'case_changed', 'assigned', 'message'])), name='cases_notification_kind_valid')],
                    },
                ),
            ],
        ),
    ]
