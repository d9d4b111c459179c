"""The OpenAPI schema is valid, and the API keeps to it under fuzzing (schemathesis)."""

import datetime
import uuid

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import strategies as st
from rest_framework.throttling import ScopedRateThrottle
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from cases.models import Case
from cases.services import case_transition
from channels.services import contact_log
from evidence.background import evidence_make_thumbnail
from evidence.services import evidence_attach
from tests.conftest import DETAILS
from tests.evidence import corpus

SCHEMATHESIS_CONFIG = str(settings.BASE_DIR / "schemathesis.toml")
# Per operation and generation mode; ~20 operations x 2 modes keeps the test under a minute.
MAX_EXAMPLES = 30


def test_schema_validates_without_warnings(settings, tmp_path):
    settings.DEBUG = True
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_schema_and_docs_are_served(client, db):
    response = client.get("/api/schema/", secure=True)
    assert response.status_code == 200
    assert b"/api/v1/cases/{reference}/transitions/" in response.content
    response = client.get("/api/docs/", secure=True)
    assert response.status_code == 200
    # Offline: Swagger UI comes from our own static files (drf-spectacular-sidecar), no CDN.
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn" not in response.content.lower()


@pytest.fixture
def in_process_requests(settings):
    """Requests served in this process must not close the test's database connection (and
    its open transaction) at their start and end."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("in_process_requests")
def test_api_never_errors_and_keeps_to_its_schema(alice, bob, make_case, token_for, monkeypatch):
    # Let the token endpoint answer rather than throttle after its tenth request.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "token", "1000/min")
    # Nor the per-user limit: ~20 operations x ~90 requests go past 1200 a minute, and the
    # operations fuzzed last would meet only 429s.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "user", "100000/min")

    # Real cases in several states so generated requests reach the services, not only 404s.
    references = [make_case(alice, kind=kind).reference for kind in DETAILS]
    filed = make_case(alice)
    case_transition(actor=alice, case=filed, to="filed", note="已提交")
    references += [filed.reference, make_case(bob).reference, "RC-2026-999999"]
    # Evidence on Alice's first case (an image with its thumbnail, a PDF) so the evidence
    # operations reach items, not only 404s.
    image = evidence_attach(
        actor=alice,
        case=Case.objects.get(reference=references[0]),
        upload=SimpleUploadedFile("截图.png", corpus.png()),
        kind="screenshot",
    )
    evidence_make_thumbnail(item=image)
    pdf = evidence_attach(
        actor=alice,
        case=image.case,
        upload=SimpleUploadedFile("通知.pdf", corpus.PDF),
        kind="platform_notice",
    )
    # (reference, evidence id): Alice's items on their case, an unknown id, and an item asked
    # for under another case.
    evidence_paths = [
        (image.case.reference, image.pk),
        (image.case.reference, pdf.pk),
        (image.case.reference, uuid.uuid4()),
        (references[1], image.pk),
    ]
    # Contacts on the same case, one linked to the image, so the contact operations reach
    # them: (reference, contact id) as for the evidence, and real bodies from the directory.
    logged = [
        contact_log(
            actor=alice,
            case=image.case,
            channel=channel,
            direction="outbound",
            occurred_at=timezone.now() - datetime.timedelta(hours=hours),
            filing_type="inquiry",
            body=body,
            summary="客服称 3 个工作日内回复。",
            evidence=[image.pk],
        ).entry
        for channel, body, hours in (("phone", None, 5), ("web_ticket", "douyin_shop", 2))
    ]
    contact_paths = [
        (image.case.reference, logged[0].pk),
        (image.case.reference, logged[1].pk),
        (image.case.reference, 2**40),
        (references[1], logged[0].pk),
    ]
    body_slugs = ["12315", "douyin_shop", "internet_court_hangzhou", "no_such_body"]
    headers = {"Authorization": f"Token {token_for(alice)}"}

    # A fresh handler, like config.wsgi's, built now: middleware reads some settings once, and
    # these tests run over plain HTTP (see conftest).
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/", WSGIHandler(), config=SchemathesisConfig.from_path(SCHEMATHESIS_CONFIG)
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    # Removals last, so that the other operations still find the evidence items.
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    assert len(operations) >= 6

    checks = None  # every check schemathesis has (status codes, headers, negative data …)
    for operation in operations:
        strategies = [
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        ]
        # The documented examples too: they are valid requests, so they reach the services.
        examples = operation.get_strategies_from_examples()
        if examples:
            strategies.append(st.one_of(examples))
        for strategy in strategies:
            if "{contact_id}" in operation.path:
                strategy = st.tuples(strategy, st.sampled_from(contact_paths)).map(
                    _with_contact_path
                )
            elif "{slug}" in operation.path:
                strategy = st.tuples(strategy, st.sampled_from(body_slugs)).map(_with_slug)
            elif "{evidence_id}" in operation.path:
                strategy = st.tuples(strategy, st.sampled_from(evidence_paths)).map(
                    _with_evidence_path
                )
            elif "{reference}" in operation.path:
                strategy = st.tuples(strategy, st.sampled_from(references)).map(_with_reference)

            @hypothesis.given(case=strategy)
            @hypothesis.settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(hypothesis.HealthCheck),
            )
            def fuzz(case):
                case.call_and_validate(headers=headers, checks=checks)

            fuzz()


def _with_reference(pair):
    case, reference = pair
    if case.path_parameters is not None and isinstance(case.path_parameters, dict):
        case.path_parameters = {**case.path_parameters, "reference": reference}
    return case


def _with_evidence_path(pair):
    case, (reference, evidence_id) = pair
    if case.path_parameters is not None and isinstance(case.path_parameters, dict):
        case.path_parameters = {
            **case.path_parameters,
            "reference": reference,
            "evidence_id": str(evidence_id),
        }
    return case


def _with_contact_path(pair):
    case, (reference, contact_id) = pair
    if case.path_parameters is not None and isinstance(case.path_parameters, dict):
        case.path_parameters = {
            **case.path_parameters,
            "reference": reference,
            "contact_id": contact_id,
        }
    return case


def _with_slug(pair):
    case, slug = pair
    if case.path_parameters is not None and isinstance(case.path_parameters, dict):
        case.path_parameters = {**case.path_parameters, "slug": slug}
    return case


def test_every_operation_documents_the_errors_it_can_answer(client, db):
    """Schema and behaviour agree (issue 14): every operation refuses a bad parameter (400)
    and answers 503 while the database is away; one that takes a body also 413 and 415."""
    schema = client.get("/api/schema/?format=json", secure=True).json()
    missing = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            wanted = {"400", "503"} | ({"413", "415"} if "requestBody" in operation else set())
            if lacking := wanted - set(operation["responses"]):
                missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert missing == []
    case = schema["paths"]["/api/v1/cases/{reference}/"]
    assert {"404", "412"} <= set(case["patch"]["responses"])
    assert "409" in schema["paths"]["/api/v1/cases/{reference}/transitions/"]["post"]["responses"]
