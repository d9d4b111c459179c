"""Benchmark data: N cases with a few timeline events each, spread over many sellers.

A fixture for benchmarks (`bench/`), not demo data and not a test: rows are written in bulk,
bypassing the services, so it can load a million cases in minutes. On PostgreSQL each batch is
sent with COPY; other databases get `bulk_create`. Every row is still one the services could
have written: valid kinds, details and statuses, an outcome exactly when closed, a timeline that
follows the lifecycle table, and references taken from `ReferenceSequence` so later cases do not
collide with them.
"""

import datetime
import random
import time
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Role, User
from cases.choices import CaseKind, EventKind, Outcome, Platform, Priority, Status
from cases.counts import status_counts_rebuild
from cases.kinds import KINDS
from cases.lifecycle import CLOSED, TRANSITIONS
from cases.models import REFERENCE_PREFIX, Case, CaseEvent, ReferenceSequence

SELLER_PREFIX = "bench-seller-"
STAFF_USERNAME = "bench-staff"
BENCH_PASSWORD = "bench-password"
DEFER_INDEXES_FROM = 100_000  # cases in one run

# A route through the lifecycle to each status, so timelines look like real ones.
PATHS: dict[str, list[str]] = {
    Status.DRAFT: [],
    Status.FILED: [Status.FILED],
    Status.IN_REVIEW: [Status.FILED, Status.IN_REVIEW],
    Status.INFO_REQUESTED: [Status.FILED, Status.IN_REVIEW, Status.INFO_REQUESTED],
    Status.DECIDED: [Status.FILED, Status.IN_REVIEW, Status.DECIDED],
    Status.APPEALED: [Status.FILED, Status.DECIDED, Status.APPEALED],
    Status.ESCALATED: [Status.FILED, Status.DECIDED, Status.ESCALATED],
    Status.RESOLVED: [Status.FILED, Status.IN_REVIEW, Status.DECIDED, Status.RESOLVED],
    Status.WITHDRAWN: [Status.FILED, Status.WITHDRAWN],
}
STATUS_WEIGHTS = {
    Status.DRAFT: 8,
    Status.FILED: 15,
    Status.IN_REVIEW: 20,
    Status.INFO_REQUESTED: 8,
    Status.DECIDED: 10,
    Status.APPEALED: 7,
    Status.ESCALATED: 5,
    Status.RESOLVED: 22,
    Status.WITHDRAWN: 5,
}
PLATFORMS = {
    CaseKind.DEPOSIT_REFUND: [
        Platform.DOUYIN_SHOP,
        Platform.TAOBAO,
        Platform.PINDUODUO,
        Platform.JD,
    ],
    CaseKind.STORE_REMOVAL: [Platform.DOUYIN_SHOP, Platform.KUAISHOU, Platform.WECHAT_SHOP],
    CaseKind.ACCOUNT_BAN: [Platform.DOUYIN, Platform.KUAISHOU, Platform.XIAOHONGSHU],
    CaseKind.CONTENT_TAKEDOWN: [Platform.DOUYIN, Platform.KUAISHOU, Platform.XIAOHONGSHU],
    CaseKind.PURCHASE_COMPLAINT: [Platform.TAOBAO, Platform.TMALL, Platform.PINDUODUO, Platform.JD],
}
TITLES = {
    CaseKind.DEPOSIT_REFUND: "退店后保证金 {n} 元未退回",
    CaseKind.STORE_REMOVAL: "店铺因涉嫌售假被清退（{n}）",
    CaseKind.ACCOUNT_BAN: "账号被误封，申诉编号 {n}",
    CaseKind.CONTENT_TAKEDOWN: "原创视频被以侵权为由下架（{n}）",
    CaseKind.PURCHASE_COMPLAINT: "商品与描述不符，订单 {n}",
}
NOTES = {
    Status.FILED: "已在平台后台提交申请。",
    Status.IN_REVIEW: "平台已受理，审核中。",
    Status.INFO_REQUESTED: "平台要求补充材料。",
    Status.DECIDED: "平台已作出处理决定。",
    Status.APPEALED: "已提交复审申请。",
    Status.ESCALATED: "已向 12315 投诉。",
    Status.RESOLVED: "已结案。",
    Status.WITHDRAWN: "已撤回。",
}


def _check_paths() -> None:
    for status, path in PATHS.items():
        current = Status.DRAFT
        for step in path:
            assert step in TRANSITIONS[current], (status, current, step)
            current = step
        assert current == status, status


class Generator:
    """Makes valid, varied case and event rows; seeded, so a run can be repeated."""

    def __init__(self, *, seed: int, sellers: list[int], staff: int, now: datetime.datetime):
        self.rng = random.Random(seed)
        self.sellers = sellers
        self.staff = staff
        self.now = now
        self.kinds = list(KINDS)
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = list(STATUS_WEIGHTS.values())
        self.today = timezone.localdate(now, timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    def _date(self, before: datetime.datetime) -> str:
        return (before.date() - datetime.timedelta(days=self.rng.randint(0, 30))).isoformat()

    def details(self, kind: str, n: int, created: datetime.datetime) -> dict:
        rng = self.rng
        if kind == CaseKind.DEPOSIT_REFUND:
            return {
                "store_id": f"{60000000 + n}",
                "deposit_amount": f"{rng.choice((500, 1000, 2000, 5000, 10000))}.00",
                "store_closed_on": self._date(created),
            }
        if kind == CaseKind.STORE_REMOVAL:
            return {
                "store_id": f"{70000000 + n}",
                "violation_cited": rng.choice(("涉嫌售假", "虚假发货", "刷单炒信", "资质不符")),
                "notice_received_on": self._date(created),
            }
        if kind == CaseKind.ACCOUNT_BAN:
            return {
                "account_id": f"user_{n}",
                "ban_type": rng.choice(("permanent", "temporary", "feature_limited")),
                "banned_on": self._date(created),
            }
        if kind == CaseKind.CONTENT_TAKEDOWN:
            return {
                "content_url": f"https://www.douyin.com/video/{7300000000000000000 + n}",
                "takedown_reason": rng.choice(("policy", "copyright", "other")),
                "taken_down_on": self._date(created),
            }
        return {
            "order_number": f"{240000000000 + n}",
            "amount_paid": f"{rng.randint(20, 5000)}.00",
            "merchant_name": rng.choice(("优品旗舰店", "好物专营店", "数码配件店")),
            "purchased_on": self._date(created),
            "issue": rng.choice(("quality", "not_as_described", "false_advertising", "fraud")),
        }

    def case(self, n: int, reference: str) -> tuple[dict, list[tuple[datetime.datetime, str]]]:
        """One case's column values (by attname) and its moves: (when, to_status)."""
        rng = self.rng
        kind = rng.choice(self.kinds)
        status = rng.choices(self.statuses, self.status_weights)[0]
        created = self.now - datetime.timedelta(seconds=rng.randint(3600, 365 * 86400))
        moves, at = [], created
        for step in PATHS[status]:
            at = min(at + datetime.timedelta(seconds=rng.randint(600, 7 * 86400)), self.now)
            moves.append((at, step))
        details = self.details(kind, n, created)
        claimed = details.get("deposit_amount") or details.get("amount_paid")
        outcome = ""
        recovered = None
        if status == Status.RESOLVED:
            outcome = rng.choice((Outcome.WON, Outcome.PARTLY_WON, Outcome.LOST))
            if claimed and outcome != Outcome.LOST:
                recovered = Decimal(claimed) / (1 if outcome == Outcome.WON else 2)
        elif status == Status.WITHDRAWN:
            outcome = Outcome.WITHDRAWN
        case = {
            "reference": reference,
            "kind": str(kind),
            "platform": str(rng.choice(PLATFORMS[kind])),
            "platform_account": f"acct-{n}",
            "party_role": str(KINDS[kind].default_party_role),
            "title": TITLES[kind].format(n=n),
            "description": "批量生成的基准测试案件。",
            "status": str(status),
            "priority": str(Priority.URGENT if rng.random() < 0.15 else Priority.NORMAL),
            "outcome": str(outcome),
            "amount_claimed": Decimal(claimed) if claimed else None,
            "amount_recovered": recovered,
            "currency": "CNY",
            "platform_reference": f"PR{n}" if status != Status.DRAFT else "",
            "details": details,
            "owner_id": rng.choice(self.sellers),
            "organisation_id": None,
            "assignee_id": (self.staff if status != Status.DRAFT and rng.random() < 0.25 else None),
            "created_at": created,
            "updated_at": at,
            "closed_at": at if status in CLOSED else None,
        }
        return case, moves

    def events(self, case: dict, moves) -> list[dict]:
        events = [
            {
                "case_id": case["id"],
                "kind": EventKind.CREATED.value,
                "actor_id": case["owner_id"],
                "created_at": case["created_at"],
                "from_status": "",
                "to_status": Status.DRAFT.value,
                "changes": {},
                "note": "",
            }
        ]
        current = Status.DRAFT.value
        for at, to in moves:
            events.append(
                {
                    "case_id": case["id"],
                    "kind": EventKind.STATUS_CHANGED.value,
                    "actor_id": case["owner_id"],
                    "created_at": at,
                    "from_status": current,
                    "to_status": str(to),
                    "changes": (
                        {"outcome": {"old": "", "new": case["outcome"]}}
                        if to == Status.RESOLVED
                        else {}
                    ),
                    "note": NOTES[to],
                }
            )
            current = str(to)
        return events


def _columns(model: type[models.Model], *, with_pk: bool) -> list[tuple[models.Field, object]]:
    """The model's columns with the value to use when a row does not give one (the field's
    default: its own, else "" or None), so a column added later needs no change here."""
    return [
        (field, field.get_default())
        for field in model._meta.concrete_fields
        if with_pk or not field.primary_key
    ]


def _copy(model: type[models.Model], rows: list[dict], *, with_pk: bool) -> None:
    """COPY rows (dicts by attname) into the model's table on PostgreSQL. A queued writer
    sends data from a second thread, so PostgreSQL works while Python builds the next rows."""
    from psycopg.copy import QueuedLibpqWriter
    from psycopg.types.json import Jsonb

    columns = _columns(model, with_pk=with_pk)
    names = ", ".join(connection.ops.quote_name(field.column) for field, _ in columns)
    plan = [(f.attname, default, isinstance(f, models.JSONField)) for f, default in columns]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        sql = f"COPY {table} ({names}) FROM STDIN"
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            for row in rows:
                copy.write_row(
                    [
                        Jsonb(row.get(name, default)) if is_json else row.get(name, default)
                        for name, default, is_json in plan
                    ]
                )


def _bulk_create(model: type[models.Model], rows: list[dict]) -> list[models.Model]:
    """The portable path (SQLite and friends): model instances through bulk_create."""
    return model.objects.bulk_create([model(**row) for row in rows], batch_size=500)


def _may_skip_foreign_key_checks() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def _drop_indexes() -> None:
    """Drop the models' named indexes (not the primary keys, the unique reference or the
    foreign-key indexes) for the duration of a large load."""
    for model in (Case, CaseEvent):
        with connection.cursor() as cursor:
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
        with connection.schema_editor() as editor:
            for index in model._meta.indexes:
                if index.name in present:
                    editor.remove_index(model, index)


def _restore_indexes(stdout) -> None:
    """Create any of the models' named indexes that is missing."""
    for model in (Case, CaseEvent):
        with connection.cursor() as cursor:
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
        for index in model._meta.indexes:
            if index.name not in present:
                started = time.monotonic()
                with connection.schema_editor() as editor:
                    editor.add_index(model, index)
                stdout.write(f"  index {index.name} built in {time.monotonic() - started:.1f} s")


class Command(BaseCommand):
    help = "Insert N benchmark cases with their events, in bulk (COPY on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument(
            "--sellers",
            type=int,
            default=None,
            help="Sellers to spread them over (default: one per 50 cases).",
        )
        parser.add_argument("--batch", type=int, default=10_000, help="Cases per transaction.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed.")

    def handle(self, *args, cases: int, sellers: int | None, batch: int, seed, **options):
        if cases < 1 or batch < 1:
            raise CommandError("--cases and --batch must be positive.")
        _check_paths()
        sellers = sellers or max(1, cases // 50)
        use_copy = connection.vendor == "postgresql"
        started = time.monotonic()

        seller_ids, staff_id = self._users(sellers)
        now = timezone.now()
        first = self._reserve_references(now, cases)
        generator = Generator(
            seed=seed if seed is not None else first, sellers=seller_ids, staff=staff_id, now=now
        )
        # Building an index once over sorted data beats updating ten of them row by row, but
        # only when the load is large next to what the table already holds.
        defer = use_copy and cases >= max(DEFER_INDEXES_FROM, Case.objects.count())
        self.stdout.write(
            f"Inserting {cases:,} cases for {len(seller_ids):,} sellers in batches of {batch:,}"
            f" ({'COPY' if use_copy else 'bulk_create'}"
            f"{', indexes built afterwards' if defer else ''})…"
        )
        if use_copy:
            _restore_indexes(self.stdout)  # in case an earlier run was killed while deferring
        if defer:
            _drop_indexes()
        try:
            events = self._load(generator, first, cases, batch, now, use_copy, started)
        finally:
            if defer:
                _restore_indexes(self.stdout)
        if use_copy:
            with connection.cursor() as cursor:
                for model in (Case, CaseEvent):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        # The rows bypassed case_create, which keeps the staff queue's counts per status.
        status_counts_rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {cases:,} cases and {events:,} events in {elapsed:.1f} s "
                f"({cases / elapsed:,.0f} cases/s). Logins: {SELLER_PREFIX}000001 … and "
                f"{STAFF_USERNAME}, password {BENCH_PASSWORD!r}."
            )
        )

    def _load(self, generator, first, cases, batch, now, use_copy, started) -> int:
        """Insert the cases in batches, one transaction each; returns the number of events."""
        year = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).year
        trusted = use_copy and _may_skip_foreign_key_checks()
        done = events_total = 0
        while done < cases:
            size = min(batch, cases - done)
            numbers = range(first + done, first + done + size)
            with transaction.atomic():
                if use_copy:
                    with connection.cursor() as cursor:
                        # A benchmark fixture survives losing its last batch in a crash.
                        cursor.execute("SET LOCAL synchronous_commit = off")
                        if trusted:
                            # Every id written was just read from its table in this run, so
                            # the per-row foreign-key lookups at commit (half the time) are
                            # skipped. Needs a superuser; others simply pay for the checks.
                            cursor.execute("SET LOCAL session_replication_role = replica")
                rows = [generator.case(n, f"{REFERENCE_PREFIX}{year}-{n:06d}") for n in numbers]
                built = [case for case, _ in rows]
                if use_copy:
                    for case, pk in zip(built, self._next_ids(Case, size), strict=True):
                        case["id"] = pk
                    _copy(Case, built, with_pk=True)
                else:
                    saved = _bulk_create(Case, built)
                    for case, instance in zip(built, saved, strict=True):
                        case["id"] = instance.pk
                events = [e for case, moves in rows for e in generator.events(case, moves)]
                if use_copy:
                    _copy(CaseEvent, events, with_pk=False)
                else:
                    _bulk_create(CaseEvent, events)
            done += size
            events_total += len(events)
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"  {done:>10,} cases, {events_total:>10,} events  "
                f"{elapsed:7.1f} s  {done / elapsed:8,.0f} cases/s"
            )
        return events_total

    def _users(self, count: int) -> tuple[list[int], int]:
        """The bench sellers (reused between runs, created as needed) and one staff member."""
        password = make_password(BENCH_PASSWORD)  # hashed once for everyone
        existing = set(
            User.objects.filter(username__startswith=SELLER_PREFIX).values_list(
                "username", flat=True
            )
        )
        wanted = [f"{SELLER_PREFIX}{i:06d}" for i in range(1, count + 1)]
        User.objects.bulk_create(
            [
                User(username=name, password=password, role=Role.SELLER, email="")
                for name in wanted
                if name not in existing
            ],
            batch_size=5000,
        )
        staff, _ = User.objects.get_or_create(
            username=STAFF_USERNAME,
            defaults={"password": password, "role": Role.STAFF, "is_staff": True},
        )
        ids = list(User.objects.filter(username__in=wanted).values_list("id", flat=True))
        return ids, staff.pk

    @staticmethod
    @transaction.atomic
    def _reserve_references(now: datetime.datetime, count: int) -> int:
        """Take `count` numbers from this year's sequence under its row lock, as case_create
        does one at a time; returns the first."""
        year = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).year
        ReferenceSequence.objects.bulk_create([ReferenceSequence(year=year)], ignore_conflicts=True)
        sequence = ReferenceSequence.objects.select_for_update().get(year=year)
        first = sequence.last + 1
        sequence.last += count
        sequence.save(update_fields=["last"])
        return first

    @staticmethod
    def _next_ids(model: type[models.Model], count: int) -> list[int]:
        """Primary keys from the table's own identity sequence, so later inserts never clash."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
