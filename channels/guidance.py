"""Which routes are open to whom: docs/deadline-rules.md, "Who may use which route".

A consumer may complain (投诉) to 12315, which leads to mediation. A merchant in a dispute with a
platform is not a consumer: 12315 takes that only as a report (举报) about the platform's conduct
(电子商务法 Art 35, 82), and the civil route is arbitration (if agreed) or court — for online
contracts, the internet courts of Beijing, Hangzhou and Guangzhou. Illegal or harmful information
goes to 12377, not 12315.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import CaseKind, FilingType, PartyRole, Platform

INTERNET_COURTS = ("internet_court_beijing", "internet_court_hangzhou", "internet_court_guangzhou")
# The platform whose own desk handles a case on it; Tmall shares Taobao's.
PLATFORM_BODY = {p.value: p.value for p in Platform if p != Platform.OTHER} | {
    Platform.TMALL: Platform.TAOBAO
}


@dataclass(frozen=True)
class Route:
    key: str
    title: str
    why: str
    bodies: tuple[str, ...]  # slugs; "platform" means the case's own platform desk
    filing_type: str
    source: str = ""


_PLATFORM_APPEAL = Route(
    "platform_appeal",
    gettext_lazy("Appeal to the platform"),
    gettext_lazy(
        "Use the platform's own appeal or customer-service desk first, and keep its ticket number."
    ),
    ("platform",),
    FilingType.APPEAL,
)
_SAMR_REPORT = Route(
    "samr_report",
    gettext_lazy("Report the platform to the market regulator (举报)"),
    gettext_lazy(
        "You are not a consumer in this dispute, so 12315 takes it as a report about the "
        "platform's conduct, not as a complaint. The regulator must decide within 15 working "
        "days whether to open a case."
    ),
    ("12315",),
    FilingType.REPORT,
    "电子商务法 Art 35, 82; 市场监督管理投诉举报处理暂行办法 Art 23, 31",
)
_ARBITRATION_OR_COURT = Route(
    "arbitration_or_court",
    gettext_lazy("Arbitration or the internet court"),
    gettext_lazy(
        "If your agreement with the platform names an arbitration commission, apply there; "
        "otherwise sue in an internet court (Beijing, Hangzhou or Guangzhou) for an online "
        "contract."
    ),
    ("arbitration", *INTERNET_COURTS),
    FilingType.LAWSUIT,
    "仲裁法 Art 24; 民事诉讼法 Art 126",
)
_COUNTER_NOTICE = Route(
    "counter_notice",
    gettext_lazy("Send a counter-notice"),
    gettext_lazy(
        "Send the platform a statement that your content does not infringe, with proof. If the "
        "rights holder does not complain or sue within 15 days of receiving it, the platform "
        "must restore the content."
    ),
    ("platform",),
    FilingType.COUNTER_NOTICE,
    "电子商务法 Art 43",
)
_PLATFORM_INTERVENTION = Route(
    "platform_intervention",
    gettext_lazy("Ask the platform to step in"),
    gettext_lazy(
        "Ask the platform's customer service to intervene in the order (平台介入); keep the "
        "order and ticket numbers."
    ),
    ("platform",),
    FilingType.COMPLAINT,
)
_SAMR_COMPLAINT = Route(
    "samr_complaint",
    gettext_lazy("Complain to 12315 (or its ODR)"),
    gettext_lazy(
        "As a consumer you may complain to 12315, which mediates; the regulator must decide "
        "within 7 working days whether to accept it. Through 12315 ODR the merchant first has "
        "10 working days to settle with you."
    ),
    ("12315", "12315_odr", "consumer_association"),
    FilingType.COMPLAINT,
    "消费者权益保护法; 市场监督管理投诉举报处理暂行办法 Art 14, 21",
)
_INTERNET_COURT = Route(
    "internet_court",
    gettext_lazy("Sue in an internet court"),
    gettext_lazy(
        "For goods bought online, the internet courts of Beijing, Hangzhou and Guangzhou take "
        "the case online. The limitation period is three years from when you learned of the harm."
    ),
    INTERNET_COURTS,
    FilingType.LAWSUIT,
    "民事诉讼法 Art 126; 民法典 Art 188",
)
_LEGAL_AID = Route(
    "legal_aid",
    gettext_lazy("Ask for legal aid (12348)"),
    gettext_lazy("If you cannot afford a lawyer, 12348 decides on legal aid within 7 days."),
    ("12348",),
    FilingType.APPLICATION,
    "法律援助法 Art 43",
)

ROUTES: dict[str, tuple[Route, ...]] = {
    PartyRole.MERCHANT: (_PLATFORM_APPEAL, _SAMR_REPORT, _ARBITRATION_OR_COURT),
    PartyRole.CREATOR: (_PLATFORM_APPEAL, _SAMR_REPORT, _ARBITRATION_OR_COURT, _LEGAL_AID),
    PartyRole.CONSUMER: (_PLATFORM_INTERVENTION, _SAMR_COMPLAINT, _INTERNET_COURT, _LEGAL_AID),
}

# Illegal or harmful information is CAC 12377's, whatever the role: shown beside the routes.
CAC_NOTE = gettext_lazy(
    "Rumours, privacy violations or fraudulent content go to 12377 (the cyberspace "
    "administration's reporting centre), not to 12315."
)


def routes_for(*, party_role: str, kind: str) -> list[Route]:
    """The routes open to this party in this kind of case, in the order to try them."""
    routes = list(ROUTES.get(party_role, ROUTES[PartyRole.MERCHANT]))
    if kind == CaseKind.CONTENT_TAKEDOWN:
        routes.insert(1, _COUNTER_NOTICE)
    return routes


def platform_body_slug(platform: str) -> str | None:
    return PLATFORM_BODY.get(platform)


def consumer_only_refusal(*, party_role: str, body, filing_type: str) -> str | None:
    """Why this filing is not open to a non-consumer, and what to do instead; None if it is."""
    if party_role == PartyRole.CONSUMER or body is None:
        return None
    if filing_type not in (body.consumer_only_filings or []):
        return None
    return _(
        "Only a consumer can file a complaint (投诉) with %(body)s. In this case you are a "
        "%(role)s, so file a report (举报) about the platform's conduct instead, or go to "
        "arbitration or an internet court."
    ) % {"body": body.display_name, "role": PartyRole(party_role).label}
