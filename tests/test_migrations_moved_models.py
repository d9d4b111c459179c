"""Issue 12 moved five models between apps (the clocks to `deadlines`, the outbox to
`notifications`, the per-status counts from `desk` to `cases`) and renamed their tables. An
existing database must upgrade with `migrate` and lose nothing: this test takes the test
database back to the schema before the move, writes rows of every moved model linked to each
other, migrates forward and reads every row and link back through the new models. CI runs it
on PostgreSQL (where the renames are ALTER … RENAME); on SQLite it runs too.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("cases", "0018_created_and_closed_indexes"),
    ("desk", "0001_initial"),
    ("deadlines", None),
    ("notifications", None),
]
MOVED_TABLES = {
    "cases_calendaroverride": "deadlines_calendaroverride",
    "cases_deadlinerule": "deadlines_deadlinerule",
    "cases_deadline": "deadlines_deadline",
    "cases_notification": "notifications_notification",
    "desk_casestatuscount": "cases_casestatuscount",
}


def _migrate(targets):
    """Migrate to `targets`; the models as the database now has them."""
    MigrationExecutor(connection).migrate(targets)
    executor = MigrationExecutor(connection)
    return executor._create_project_state(with_applied_migrations=True).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.fixture
def old_schema():
    """The database as it was before the move; migrated forward again whatever happens."""
    apps = _migrate(BEFORE_THE_MOVE)
    try:
        yield apps
    finally:
        _migrate(_leaves())


def _write_rows_before_the_move(apps) -> dict:
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Body = apps.get_model("channels", "ExternalBody")
    Contact = apps.get_model("channels", "ChannelEntry")
    Override = apps.get_model("cases", "CalendarOverride")
    Rule = apps.get_model("cases", "DeadlineRule")
    Deadline = apps.get_model("cases", "Deadline")
    Notification = apps.get_model("cases", "Notification")
    Count = apps.get_model("desk", "CaseStatusCount")

    now = datetime.datetime(2026, 11, 20, 9, 30, tzinfo=datetime.UTC)
    seller = User.objects.create(username="mig-seller", role="seller", email="s@example.cn")
    staff = User.objects.create(username="mig-staff", role="staff", is_staff=True)
    case = Case.objects.create(
        reference="RC-2026-900001",
        kind="purchase_complaint",
        platform="taobao",
        party_role="consumer",
        title="迁移前的案件",
        status="escalated",
        priority="urgent",
        amount_claimed=Decimal("199.00"),
        owner=seller,
        assignee=staff,
        created_at=now,
        updated_at=now,
        next_due_at=now + datetime.timedelta(days=9),
        next_due_rule="mig.rule",
    )
    event = CaseEvent.objects.create(
        case=case, kind="contact_logged", actor=staff, created_at=now, note="12315"
    )
    body = Body.objects.order_by("pk").first() or Body.objects.create(
        slug="mig-body", kind="regulator", name="Test body", name_zh="测试机构"
    )
    contact = Contact.objects.create(
        case=case,
        channel="regulator",
        direction="outbound",
        occurred_at=now,
        counterpart="12315",
        body=body,
        filing_type="complaint",
        external_reference="TS-2026-001",
        summary="投诉已提交",
        logged_by=staff,
        logged_at=now,
    )
    override = Override.objects.create(
        date=datetime.date(2027, 2, 7), region="CN", is_working_day=True, source="国务院办公厅通知"
    )
    rule = Rule.objects.create(
        key="mig.rule",
        name="Migration rule",
        name_zh="迁移规则",
        trigger="contact_logged",
        trigger_filing_type="complaint",
        duration=7,
        unit="working_days",
        warn_before=[1],
        on_breach=["notify"],
        waiting_on="body",
        source="市场监督管理投诉举报处理暂行办法 第十四条",
    )
    deadline = Deadline.objects.create(
        case=case,
        rule=rule,
        rule_snapshot={"key": "mig.rule", "unit": "working_days", "duration": 7},
        state="paused",
        waiting_on="body",
        started_at=now,
        due_at=now + datetime.timedelta(days=9),
        paused_at=now,
        remaining=datetime.timedelta(days=5, hours=3),
        paused_by_staff=True,
        contact=contact,
    )
    notification = Notification.objects.create(
        recipient=seller,
        case=case,
        deadline=deadline,
        kind="deadline_warning",
        event=event,
        created_at=now,
        email_attempts=2,
        email_error="SMTP down",
    )
    Count.objects.update_or_create(status="escalated", defaults={"count": 41})
    # Staff editing the rules through a group's permission: the permission must survive.
    rule_type, _ = ContentType.objects.get_or_create(app_label="cases", model="deadlinerule")
    permission, _ = Permission.objects.get_or_create(
        content_type=rule_type, codename="change_deadlinerule", defaults={"name": "Can change"}
    )
    group = Group.objects.create(name="rule editors")
    group.permissions.add(permission)
    return {
        "case": case.pk,
        "event": event.pk,
        "contact": contact.pk,
        "override": override.pk,
        "rule": rule.pk,
        "deadline": deadline.pk,
        "notification": notification.pk,
        "permission": permission.pk,
        "group": group.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_migrate_moves_every_row_and_link_to_the_new_apps(old_schema):
    assert set(MOVED_TABLES) <= _tables()
    ids = _write_rows_before_the_move(old_schema)

    apps = _migrate(_leaves())

    tables = _tables()
    assert set(MOVED_TABLES.values()) <= tables
    assert not set(MOVED_TABLES) & tables
    Deadline = apps.get_model("deadlines", "Deadline")
    Notification = apps.get_model("notifications", "Notification")
    Override = apps.get_model("deadlines", "CalendarOverride")
    Count = apps.get_model("cases", "CaseStatusCount")
    Group = apps.get_model("auth", "Group")

    deadline = Deadline.objects.select_related("case", "rule", "contact__body").get(
        pk=ids["deadline"]
    )
    assert deadline.case.pk == ids["case"] and deadline.case.title == "迁移前的案件"
    assert deadline.rule.pk == ids["rule"] and deadline.rule.key == "mig.rule"
    assert deadline.rule.source == "市场监督管理投诉举报处理暂行办法 第十四条"
    assert deadline.contact.pk == ids["contact"]
    assert deadline.contact.external_reference == "TS-2026-001"
    assert deadline.state == "paused" and deadline.paused_by_staff
    assert deadline.remaining == datetime.timedelta(days=5, hours=3)
    assert deadline.rule_snapshot == {"key": "mig.rule", "unit": "working_days", "duration": 7}

    notification = Notification.objects.select_related("recipient", "case", "event").get(
        pk=ids["notification"]
    )
    assert notification.recipient.username == "mig-seller"
    assert notification.case.pk == ids["case"]
    assert notification.deadline_id == ids["deadline"]
    assert notification.event.pk == ids["event"] and notification.event.note == "12315"
    assert (notification.email_attempts, notification.email_error) == (2, "SMTP down")

    assert Override.objects.get(pk=ids["override"]).source == "国务院办公厅通知"
    assert Count.objects.get(status="escalated").count == 41
    # The reverse links a page reads: the case's clocks and notifications.
    Case = apps.get_model("cases", "Case")
    case = Case.objects.get(pk=ids["case"])
    assert list(case.deadlines.values_list("pk", flat=True)) == [ids["deadline"]]
    assert list(case.notifications.values_list("pk", flat=True)) == [ids["notification"]]
    if connection.vendor == "postgresql":
        # Nothing Django names after a table, and looks for by that name, is left under an
        # old table's name: the id sequences and the `_like` indexes.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind IN ('S', 'i') AND ("
                + " OR ".join(["relname LIKE %s"] * len(MOVED_TABLES))
                + ")",
                [f"{old}%" for old in MOVED_TABLES],
            )
            left = {name for (name,) in cursor.fetchall()}
        assert not {n for n in left if n.endswith(("_seq", "_like"))}, left
    # The group keeps its permission, now on the rule's new app.
    permission = Group.objects.get(pk=ids["group"]).permissions.get()
    assert permission.pk == ids["permission"]
    assert permission.content_type.app_label == "deadlines"


@pytest.mark.django_db(transaction=True)
def test_new_constraints_hold_after_the_move(old_schema):
    """The renamed constraints still guard the data: a paused clock without its remaining
    time is refused by the database."""
    ids = _write_rows_before_the_move(old_schema)
    apps = _migrate(_leaves())
    Deadline = apps.get_model("deadlines", "Deadline")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.filter(pk=ids["deadline"]).update(remaining=None)
    # And the schema matches the models: nothing left for makemigrations.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_content_types_a_partial_migrate_created_early_are_folded_into_the_old_ones(old_schema):
    """`migrate` creates the content types of every installed model after each run, also one
    that stopped before cases 0020: the rule's new row then exists beside the old one, with
    the old one holding the group's permission. After 0020 one row is left, on the new app,
    and every group and admin log entry keeps what it had."""
    ids = _write_rows_before_the_move(old_schema)
    ContentType = old_schema.get_model("contenttypes", "ContentType")
    Permission = old_schema.get_model("auth", "Permission")
    Group = old_schema.get_model("auth", "Group")
    LogEntry = old_schema.get_model("admin", "LogEntry")
    User = old_schema.get_model("accounts", "User")
    early = ContentType.objects.create(app_label="deadlines", model="deadlinerule")
    early_change = Permission.objects.create(
        content_type=early, codename="change_deadlinerule", name="Can change"
    )
    early_view = Permission.objects.create(
        content_type=early, codename="view_deadlinerule", name="Can view"
    )
    late_group = Group.objects.create(name="given the new permission")
    late_group.permissions.add(early_change, early_view)
    LogEntry.objects.create(
        user=User.objects.get(username="mig-staff"),
        content_type=early,
        object_id=str(ids["rule"]),
        object_repr="mig.rule",
        action_flag=2,
    )

    apps = _migrate(_leaves())

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    LogEntry = apps.get_model("admin", "LogEntry")
    rows = ContentType.objects.filter(model="deadlinerule")
    assert list(rows.values_list("app_label", flat=True)) == ["deadlines"]
    rule_type = rows.get()
    for group in (Group.objects.get(pk=ids["group"]), Group.objects.get(name=late_group.name)):
        codenames = {p.codename for p in group.permissions.filter(content_type=rule_type)}
        assert "change_deadlinerule" in codenames
    late = Group.objects.get(name=late_group.name)
    assert set(late.permissions.values_list("codename", flat=True)) == {
        "change_deadlinerule",
        "view_deadlinerule",
    }
    assert LogEntry.objects.get(object_repr="mig.rule").content_type_id == rule_type.pk
