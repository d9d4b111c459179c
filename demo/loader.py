"""Load the demo content (data/demo.toml; its header describes the format) through the services.

1. `parse` reads the file; `plan` checks all of it and resolves its relative times against the
   moment of seeding, so a bad file stops with an error naming the case and the step before
   anything is written.
2. `load` then creates, in one transaction, the users that are missing (found by username) and
   the cases that are missing (found by owner and title), replaying each case's steps with
   `cases.clock.now` moved back to when each step happened. What exists is left alone.
"""

import contextlib
import datetime
import re
import tomllib
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from cases import clock
from cases.models import Case
from cases.services import case_add_note, case_create, case_transition
from channels.models import ExternalBody
from channels.services import contact_log
from config.errors import DomainError
from conversations.services import message_post
from evidence.services import evidence_attach

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.toml"
FILES_DIR = Path(__file__).resolve().parent / "files"
# A call or ticket is logged a little after it happened, unless the step says when it happened.
CONTACT_LOGGED_AFTER = datetime.timedelta(minutes=25)

# The keys each table needs, then the ones it may have: anything else is a typo.
USER_KEYS = {"username", "role"}, {"first_name", "last_name", "about", "superuser"}
CASE_KEYS = (
    {"owner", "kind", "platform", "title", "created"},
    {"description", "details", "platform_account", "platform_reference", "amount_claimed"}
    | {"priority", "steps"},
)
STEP_KEYS = {
    "evidence": ({"file", "name", "kind"}, {"description"}),
    "contact": (
        {"channel", "filing_type", "summary"},
        {"direction", "body", "counterpart", "external_reference", "occurred_at"}
        | {"follow_up_on", "evidence"},
    ),
    "transition": ({"to"}, {"note", "outcome", "amount_recovered", "decision_result"}),
    "note": ({"note"}, set()),
    "message": ({"text"}, set()),
}

_DAY_AT = re.compile(r"-(\d+)d (\d\d):(\d\d)")  # "-38d 10:07": a day before today, at a time
_BEFORE = re.compile(r"-(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")  # "-23h55m": before seeding
_DATE = re.compile(r"([+-]\d+)d")  # "-45d", "+3d": a date


def parse(path: Path = DATA_FILE) -> dict:
    try:
        with open(path, "rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CommandError(f"{path}: {error}") from error


def logins(data: dict) -> list[tuple[str, str, str]]:
    """(username, password, who) of each demo user, as the data file has them."""
    rows = []
    for user in data["users"]:
        name = user.get("last_name", "") + user.get("first_name", "")
        rows.append((user["username"], data["password"], f"{name} {user.get('about', '')}".strip()))
    return rows


def plan(data: dict, *, now: datetime.datetime, path: Path = DATA_FILE) -> dict:
    """Check the parsed file and resolve its times, dates and bodies (see the module doc)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(zone).date()
    bodies = dict(ExternalBody.objects.values_list("slug", "active"))

    def moment(text, where: str) -> datetime.datetime:
        if isinstance(text, str) and (match := _DAY_AT.fullmatch(text)):
            day = today - datetime.timedelta(days=int(match[1]))
            when = datetime.datetime.combine(
                day, datetime.time(int(match[2]), int(match[3])), tzinfo=zone
            )
        elif isinstance(text, str) and (match := _BEFORE.fullmatch(text)):
            days, hours, minutes = (int(group or 0) for group in match.groups())
            when = now - datetime.timedelta(days=days, hours=hours, minutes=minutes)
        else:
            raise fail(where, f'time {text!r} is neither like "-38d 10:07" nor like "-23h55m"')
        if when > now:
            raise fail(where, f"{text!r} is still in the future at the moment of seeding")
        return when

    def date(text) -> str:
        match = _DATE.fullmatch(text) if isinstance(text, str) else None
        return (today + datetime.timedelta(days=int(match[1]))).isoformat() if match else text

    def fail(where: str, message: str) -> CommandError:
        return CommandError(f"{path}: {where}: {message}")

    def check_keys(table, keys: tuple[set, set], where: str) -> None:
        required, optional = keys
        if not isinstance(table, dict):
            raise fail(where, "expected a table")
        if missing := required - table.keys():
            raise fail(where, f"missing {', '.join(sorted(missing))}")
        if unknown := table.keys() - required - optional:
            raise fail(where, f"unknown {', '.join(sorted(unknown))}")

    check_keys(data, ({"password", "users", "cases"}, set()), "the file")
    usernames = [user.get("username") for user in data["users"]]
    for number, user in enumerate(data["users"], 1):
        check_keys(user, USER_KEYS, f"user {number}")
        if usernames.count(user["username"]) > 1:
            raise fail(f"user {number}", f"{user['username']!r} appears twice")
    titles = set()
    for number, spec in enumerate(data["cases"], 1):
        where = f"case {number} ({spec.get('title', 'no title')!r})"
        check_keys(spec, CASE_KEYS, where)
        if spec["owner"] not in usernames:
            raise fail(where, f"owner {spec['owner']!r} is not a demo user")
        if (spec["owner"], spec["title"]) in titles:
            raise fail(where, "the owner has another case with this title")
        titles.add((spec["owner"], spec["title"]))
        spec["created"] = last = moment(spec["created"], f"{where}, created")
        spec["details"] = {
            key: date(value) if key.endswith("_on") else value
            for key, value in spec.get("details", {}).items()
        }
        files: set[str] = set()
        for step_number, step in enumerate(spec.setdefault("steps", []), 1):
            here = f"{where}, step {step_number}"
            if step.get("do") not in STEP_KEYS:
                raise fail(
                    here,
                    f"unknown step type do = {step.get('do')!r}; known: {', '.join(STEP_KEYS)}",
                )
            required, optional = STEP_KEYS[step["do"]]
            check_keys(step, ({"at", "by", "do"} | required, optional), here)
            here = f"{here} ({step['do']} at {step['at']})"
            if step["by"] not in usernames:
                raise fail(here, f"{step['by']!r} is not a demo user")
            step["at"] = moment(step["at"], here)
            if step["at"] < last:
                raise fail(here, "it comes before the step (or the creation) above it")
            last = step["at"]
            if step["do"] == "evidence":
                if not (FILES_DIR / step["file"]).is_file():
                    raise fail(here, f"no file {step['file']!r} in {FILES_DIR}")
                if step["name"] in files:
                    raise fail(here, f"the case has a file named {step['name']!r} already")
                files.add(step["name"])
            elif step["do"] == "contact":
                if unattached := set(step.get("evidence", [])) - files:
                    raise fail(here, f"no file named {', '.join(sorted(unattached))} on the case")
                if "body" in step and step["body"] not in bodies:
                    raise fail(here, f"no body {step['body']!r} in the directory")
                if not bodies.get(step.get("body")):
                    step.pop("body", None)  # a body staff have switched off is left out
                step["occurred_at"] = (
                    moment(step["occurred_at"], here)
                    if "occurred_at" in step
                    else step["at"] - CONTACT_LOGGED_AFTER
                )
                if "follow_up_on" in step:
                    step["follow_up_on"] = date(step["follow_up_on"])
    return data


def load(path: Path = DATA_FILE) -> tuple[int, int, int]:
    """Load what is missing; return the numbers of new users, new cases and demo cases."""
    data = plan(parse(path), now=timezone.now(), path=path)
    with transaction.atomic():
        users, new_users = _users(data)
        new_cases = 0
        for number, spec in enumerate(data["cases"], 1):
            new_cases += _case(spec, users, where=f"{path}: case {number} ({spec['title']!r})")
        demo_cases = Case.objects.filter(owner__in=users.values()).count()
    return new_users, new_cases, demo_cases


def _users(data: dict) -> tuple[dict[str, User], int]:
    users, created = {}, 0
    for person in data["users"]:
        user = User.objects.filter(username=person["username"]).first()
        if user is None:
            created += 1
            email = f"{person['username']}@example.cn"
            if person.get("superuser"):
                # Superusers are Django's own; the role makes them staff in the product too.
                user = User.objects.create_superuser(
                    person["username"], email, data["password"], role=person["role"]
                )
            else:
                user = user_create(
                    username=person["username"],
                    password=data["password"],
                    role=person["role"],
                    email=email,
                )
            user.first_name = person.get("first_name", "")
            user.last_name = person.get("last_name", "")
            user.save(update_fields=["first_name", "last_name"])
        users[person["username"]] = user
    return users, created


def _case(spec: dict, users: dict[str, User], *, where: str) -> int:
    owner = users[spec["owner"]]
    if Case.objects.filter(owner=owner, title=spec["title"]).exists():
        return 0
    with _at(spec["created"], where):
        case = case_create(
            actor=owner,
            kind=spec["kind"],
            platform=spec["platform"],
            title=spec["title"],
            description=spec.get("description", ""),
            details=spec["details"],
            platform_account=spec.get("platform_account", ""),
            platform_reference=spec.get("platform_reference", ""),
            amount_claimed=Decimal(spec["amount_claimed"]) if "amount_claimed" in spec else None,
            priority=spec.get("priority", "normal"),
        )
    files = {}  # name -> EvidenceItem, for the contacts that link them
    for number, step in enumerate(spec["steps"], 1):
        actor = users[step["by"]]
        with _at(step["at"], f"{where}, step {number} ({step['do']})"):
            if step["do"] == "evidence":
                files[step["name"]] = evidence_attach(
                    actor=actor,
                    case=case,
                    upload=SimpleUploadedFile(
                        step["name"], (FILES_DIR / step["file"]).read_bytes()
                    ),
                    kind=step["kind"],
                    description=step.get("description", ""),
                )
            elif step["do"] == "contact":
                fields = {key: step[key] for key in step.keys() - {"at", "by", "do"}}
                fields["evidence"] = [files[name].pk for name in step.get("evidence", [])]
                contact_log(actor=actor, case=case, **{"direction": "outbound", **fields})
            elif step["do"] == "transition":
                case = case_transition(
                    actor=actor,
                    case=case,
                    to=step["to"],
                    note=step.get("note", ""),
                    outcome=step.get("outcome"),
                    amount_recovered=step.get("amount_recovered"),
                    decision_result=step.get("decision_result"),
                )
            elif step["do"] == "note":
                case_add_note(actor=actor, case=case, note=step["note"])
            else:
                message_post(actor=actor, case=case, body=step["text"])
    return 1


@contextlib.contextmanager
def _at(moment: datetime.datetime, where: str):
    """Run services as if it were `moment` (they all read the time from `cases.clock.now`);
    a rule they refuse is named with the case and step that broke it."""
    real_now = clock.now
    clock.now = lambda: moment
    try:
        yield
    except (DomainError, Http404) as error:
        raise CommandError(f"{where}: {getattr(error, 'message', error)}") from error
    finally:
        clock.now = real_now
