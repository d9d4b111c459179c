"""Demo data: Chinese sellers with realistic disputes of every kind, moved through their
lifecycle with notes, so the timelines read like real ones.

Everything is written through the services (`user_create`, `case_create`, `case_transition`,
`case_add_note`, `evidence_attach`, `contact_log`), with the clock moved back to when each step
happened. Evidence files are small real images, PDFs and text made in code (`evidence.demo`).
Contacts (calls, tickets, filings with 12315 …) name bodies of the shipped directory. Idempotent:
users are found by username and cases by owner and title, and whatever exists is left alone.

The services start, pause and settle the cases' clocks as the steps happen. The last two stories
are timed to the minute from the moment of seeding, so that the worker `make run` starts has
something to do at once: a seller's 24-hour reply clock that warns at the first tick and runs
out five minutes after seeding, and an urgent first-response clock whose warning comes three
minutes after seeding (see CLOCK_STORIES). Their other clocks are paused or met; older stories
leave clocks that ran out days ago, which the first sweep breaches.
"""

import contextlib
import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import user_create
from cases import clock
from cases.models import Case
from cases.services import case_add_note, case_create, case_transition
from channels.models import ExternalBody
from channels.services import contact_log
from evidence import demo
from evidence.models import EvidenceItem
from evidence.services import evidence_attach

DEMO_PASSWORD = "recourse-demo"
# A call or ticket is logged a little after it happened.
CONTACT_LOGGED_AFTER = datetime.timedelta(minutes=25)
# A case timed to the minute is created this long before its first step.
CREATED_BEFORE_FIRST_STEP = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Person:
    username: str
    role: str
    last_name: str
    first_name: str
    about: str
    superuser: bool = False


PEOPLE = [
    Person("lina", Role.SELLER, "李", "娜", "抖店商家（娜娜家居旗舰店）"),
    Person("wanghao", Role.SELLER, "王", "浩", "快手 / 抖音户外创作者（浩哥户外）"),
    Person("zhouyun", Role.STAFF, "周", "云", "客服专员，处理所有卖家的案件"),
    Person("admin", Role.STAFF, "", "", "超级管理员（/admin/）", superuser=True),
]


@dataclass(frozen=True)
class Proof:
    """An evidence file: `make` builds its bytes when it is attached."""

    name: str
    kind: str
    description: str
    make: Callable[[], bytes]


@dataclass(frozen=True)
class Contact:
    """A contact logged in a step. It happened shortly before it was logged, or `days_ago` days
    ago at `hour` when it is logged later; `evidence` names files already on the case."""

    channel: str
    filing_type: str
    summary: str
    body: str = ""  # a slug of the directory
    direction: str = "outbound"
    counterpart: str = ""
    reference: str = ""
    follow_up_on: str = ""
    evidence: tuple[str, ...] = ()
    days_ago: int | None = None
    hour: int = 10


@dataclass(frozen=True)
class Step:
    """One thing that happened `days_ago` days ago at `hour` o'clock (Asia/Shanghai), or
    exactly `ago` before the seeding when given: files uploaded, contacts logged, then a move
    or a note."""

    days_ago: int
    hour: int
    by: str  # username
    to: str = ""  # a status to move to; empty for a note only
    note: str = ""
    outcome: str | None = None
    recovered: str | None = None
    proofs: tuple[Proof, ...] = ()
    contacts: tuple[Contact, ...] = ()
    ago: datetime.timedelta | None = None


def _ago(ago: datetime.timedelta, by: str, to: str = "", **fields) -> Step:
    """A step timed to the minute before the seeding: for clocks that must run out (or warn)
    a few minutes after `make run` starts, whatever the time of day."""
    return Step(ago.days, 0, by, to, ago=ago, **fields)


@dataclass(frozen=True)
class Story:
    owner: str
    kind: str
    platform: str
    title: str
    description: str
    details: dict
    steps: list[Step] = field(default_factory=list)
    platform_account: str = ""
    platform_reference: str = ""
    amount_claimed: str | None = None
    priority: str = "normal"


def _day(days_ago: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()


def stories() -> list[Story]:
    """The demo cases. Dates are relative to today so the data never ages."""
    return [
        Story(
            owner="lina",
            kind="deposit_refund",
            platform="douyin_shop",
            title="退店五周，抖店 2000 元保证金仍未退回",
            description=(
                "娜娜家居旗舰店于 9 月申请退店，店铺已关闭，所有订单和售后均已完结。"
                "抖店后台显示“保证金退还审核中”已超过承诺的 15 个工作日，客服只回复“请耐心等待”。"
            ),
            details={
                "store_id": "66120357",
                "deposit_amount": "2000.00",
                "exit_applied_on": _day(45),
                "store_closed_on": _day(40),
                "harm_learned_on": _day(20),
            },
            platform_account="娜娜家居旗舰店",
            platform_reference="TK202609271183",
            amount_claimed="2000.00",
            priority="urgent",
            steps=[
                Step(
                    38,
                    10,
                    "lina",
                    note="整理了退店申请截图、保证金缴纳记录和店铺关闭通知。",
                    proofs=(
                        Proof(
                            "退店申请截图.png",
                            "screenshot",
                            "抖店后台退店申请页，显示申请日期和“已通过”",
                            lambda: demo.png(
                                ("抖店 · 退店申请", "Douyin Shop · Store exit"),
                                [
                                    ("店铺：娜娜家居旗舰店", "Store: Nana Home flagship"),
                                    ("退店申请：已通过", "Exit application: approved"),
                                    ("店铺状态：已关闭", "Store status: closed"),
                                ],
                            ),
                        ),
                        Proof(
                            "保证金缴纳凭证.pdf",
                            "payment_receipt",
                            "2000 元保证金的缴纳回单",
                            lambda: demo.pdf(
                                ("保证金缴纳回单", "Deposit payment receipt"),
                                [
                                    ("收款方：抖店平台", "Payee: Douyin Shop"),
                                    ("金额：¥2,000.00", "Amount: CNY 2,000.00"),
                                    ("用途：店铺保证金", "Purpose: store deposit"),
                                ],
                            ),
                        ),
                        Proof(
                            "店铺关闭通知.png",
                            "platform_notice",
                            "平台站内信：店铺已关闭",
                            lambda: demo.png(
                                ("站内信", "Platform message"),
                                [
                                    ("您的店铺已完成关店", "Your store has been closed"),
                                    (
                                        "保证金将于审核后退还",
                                        "The deposit is refunded after review",
                                    ),
                                ],
                            ),
                        ),
                    ),
                    contacts=(
                        # Logged a week after it happened: contacts may be in the past.
                        Contact(
                            "in_app",
                            "exit_application",
                            "在抖店后台提交退店申请：店内订单和售后已全部完结，"
                            "申请退店并退还 2000 元保证金。",
                            body="douyin_shop",
                            counterpart="抖店商家后台",
                            evidence=("退店申请截图.png",),
                            days_ago=45,
                            hour=9,
                        ),
                    ),
                ),
                Step(
                    37,
                    14,
                    "lina",
                    "filed",
                    "在抖店后台【资产-保证金】提交退保证金申请，工单号 TK202609271183，"
                    "页面写明 15 个工作日内处理。",
                    contacts=(
                        Contact(
                            "in_app",
                            "application",
                            "在【资产-保证金】提交退保证金申请，页面写明 15 个工作日内处理。",
                            body="douyin_shop",
                            counterpart="抖店商家后台",
                            reference="TK202609271183",
                            evidence=("保证金缴纳凭证.pdf",),
                        ),
                    ),
                ),
                Step(
                    30,
                    16,
                    "lina",
                    "in_review",
                    "客服回复：已转交财务审核。",
                    contacts=(
                        Contact(
                            "in_app",
                            "response_received",
                            "客服回复：退保证金申请已转交财务审核，请耐心等待。",
                            body="douyin_shop",
                            direction="inbound",
                            counterpart="抖店商家客服",
                            reference="TK202609271183",
                        ),
                    ),
                ),
                Step(
                    22,
                    11,
                    "lina",
                    "info_requested",
                    "平台要求补充：无未完结订单及售后的截图、营业执照注销回执。",
                ),
                Step(18, 9, "lina", "in_review", "已上传订单完结截图和执照注销回执。"),
                Step(
                    6,
                    15,
                    "zhouyun",
                    note="已超出承诺时限。建议通过抖店商家客服热线催办并保留通话记录，"
                    "仍无进展可向 12315 反映。",
                ),
                Step(
                    5,
                    10,
                    "lina",
                    note="电话催办，客服答复“仍在审核中”，未给出具体时间。",
                    contacts=(
                        Contact(
                            "phone",
                            "follow_up",
                            "电话催办保证金退还：客服答复“仍在审核中”，无法给出具体时间。",
                            body="douyin_shop",
                            counterpart="抖店商家客服（工号 8812）",
                            reference="TK202609271183",
                        ),
                    ),
                    proofs=(
                        Proof(
                            "客服沟通记录.txt",
                            "chat_log",
                            "抖店在线客服对话，导出为文本",
                            lambda: demo.text(
                                [
                                    "[在线客服] 抖店商家客服",
                                    "娜娜家居：保证金退还已超过 15 个工作日，请问进度？",
                                    "客服：您好，您的保证金退还仍在审核中，请耐心等待。",
                                    "娜娜家居：能否给出具体的处理时间？",
                                    "客服：抱歉，暂时无法提供具体时间，审核完成后会短信通知您。",
                                ]
                            ),
                        ),
                    ),
                ),
                Step(
                    3,
                    11,
                    "lina",
                    contacts=(
                        # A merchant is not a consumer: 12315 takes this as a report (举报).
                        Contact(
                            "regulator",
                            "report",
                            "以商家身份在 12315 平台举报抖店无正当理由扣留保证金"
                            "（电子商务法第三十五条），附退店通过截图、保证金缴纳凭证和客服沟通记录。",
                            body="12315",
                            counterpart="全国 12315 平台",
                            reference="JB3301062026110400217",
                            evidence=("退店申请截图.png", "保证金缴纳凭证.pdf", "客服沟通记录.txt"),
                        ),
                    ),
                ),
                Step(
                    1,
                    16,
                    "lina",
                    contacts=(
                        Contact(
                            "phone",
                            "follow_up",
                            "再次电话催办：客服称已提交财务加急处理，"
                            "承诺 3 个工作日内回电告知退款时间。",
                            body="douyin_shop",
                            counterpart="抖店商家客服（工号 6307）",
                            reference="TK202609271183",
                            follow_up_on=_day(-3),
                        ),
                    ),
                ),
            ],
        ),
        Story(
            owner="lina",
            kind="store_removal",
            platform="douyin_shop",
            title="日用专营店以“涉嫌售假”被清退，已有品牌授权",
            description=(
                "平台以“售假”为由清退娜娜家居日用专营店并冻结 5000 元保证金。"
                "店内商品均由品牌方授权经销，有授权书、进货发票和质检报告。"
            ),
            details={
                "store_id": "70981244",
                "violation_cited": "售假：平台认定商品涉嫌假冒注册商标",
                "notice_received_on": _day(25),
            },
            platform_account="娜娜家居日用专营店",
            platform_reference="SS-APPEAL-552019",
            amount_claimed="5000.00",
            priority="urgent",
            steps=[
                Step(
                    24,
                    10,
                    "lina",
                    "filed",
                    "在商家后台【违规管理-申诉】提交申诉，附品牌授权书、进货发票与质检报告。",
                    proofs=(
                        Proof(
                            "违规通知.png",
                            "platform_notice",
                            "清退通知，认定“售假”",
                            lambda: demo.png(
                                ("违规通知", "Violation notice"),
                                [
                                    ("违规类型：售假", "Violation: counterfeit goods"),
                                    ("处理：店铺清退", "Action: store removed"),
                                    ("冻结保证金：¥5,000", "Deposit frozen: CNY 5,000"),
                                ],
                            ),
                        ),
                        Proof(
                            "品牌授权书.pdf",
                            "brand_authorisation",
                            "品牌方出具的经销授权书",
                            lambda: demo.pdf(
                                ("品牌授权书", "Brand authorisation"),
                                [
                                    ("被授权方：娜娜家居日用专营店", "Licensee: Nana Home store"),
                                    ("授权范围：全系列日用品", "Scope: all household goods"),
                                    ("有效期：2026 年全年", "Valid: all of 2026"),
                                ],
                            ),
                        ),
                        Proof(
                            "进货发票.pdf",
                            "invoice",
                            "向品牌方进货的增值税发票",
                            lambda: demo.pdf(
                                ("增值税专用发票", "VAT invoice"),
                                [
                                    ("销售方：品牌方授权总代理", "Seller: brand's distributor"),
                                    ("金额：¥38,600.00", "Amount: CNY 38,600.00"),
                                ],
                            ),
                        ),
                    ),
                    contacts=(
                        Contact(
                            "in_app",
                            "appeal",
                            "在【违规管理-申诉】提交申诉：商品均由品牌方授权经销，附授权书、进货发票。",
                            body="douyin_shop",
                            counterpart="抖店违规申诉",
                            reference="SS-APPEAL-552019",
                            evidence=("违规通知.png", "品牌授权书.pdf", "进货发票.pdf"),
                        ),
                    ),
                ),
                Step(21, 17, "lina", "in_review", "申诉状态变为“审核中”。"),
                Step(
                    14,
                    12,
                    "lina",
                    "decided",
                    "申诉被驳回：平台称“证据不足以证明商品来源合法”，未说明具体依据。",
                    contacts=(
                        Contact(
                            "in_app",
                            "decision_received",
                            "申诉结果：驳回，理由为“证据不足以证明商品来源合法”。",
                            body="douyin_shop",
                            direction="inbound",
                            counterpart="抖店违规申诉",
                            reference="SS-APPEAL-552019",
                        ),
                    ),
                ),
                Step(
                    10,
                    9,
                    "lina",
                    "appealed",
                    "提交二次申诉，补充品牌方出具的正品证明函和完整供货链路。",
                ),
            ],
        ),
        Story(
            owner="lina",
            kind="purchase_complaint",
            platform="pinduoduo",
            title="拼多多购买的“全实木”餐桌实为贴皮板材",
            description="商品页多处标注“全实木”，收到后发现桌面为密度板贴木皮，商家拒绝退货退款。",
            details={
                "order_number": "240915-38274619283",
                "amount_paid": "1280.00",
                "merchant_name": "优品实木家具店",
                "purchased_on": _day(60),
                "goods_received_on": _day(52),
                "issue": "not_as_described",
            },
            platform_reference="PDD-KF-88310275",
            amount_claimed="1280.00",
            steps=[
                Step(50, 20, "lina", "filed", "申请退货退款，商家拒绝，称商品页写有“实木贴皮”。"),
                Step(
                    48,
                    11,
                    "lina",
                    "in_review",
                    "申请平台客服介入。",
                    contacts=(
                        Contact(
                            "in_app",
                            "complaint",
                            "申请平台介入：商品页标注“全实木”，实物为密度板贴木皮，要求退货退款。",
                            body="pinduoduo",
                            counterpart="拼多多官方客服",
                            reference="PDD-KF-88310275",
                        ),
                    ),
                ),
                Step(
                    43,
                    16,
                    "lina",
                    "decided",
                    "平台判定：仅补偿 200 元，不支持退货退款。",
                    contacts=(
                        Contact(
                            "in_app",
                            "decision_received",
                            "平台判定：补偿 200 元，不支持退货退款。",
                            body="pinduoduo",
                            direction="inbound",
                            counterpart="拼多多官方客服",
                            reference="PDD-KF-88310275",
                        ),
                    ),
                ),
                Step(
                    40,
                    10,
                    "lina",
                    "escalated",
                    "向 12315 平台投诉，附商品页截图（标注“全实木”）与实物照片。",
                    proofs=(
                        Proof(
                            "商品页截图.png",
                            "listing_snapshot",
                            "商品详情页，标题和参数均写“全实木”",
                            lambda: demo.png(
                                ("拼多多 · 商品详情", "Pinduoduo · Listing"),
                                [
                                    ("北欧全实木餐桌 1.4 米", "Nordic solid-wood table 1.4 m"),
                                    ("材质：全实木", "Material: solid wood"),
                                    ("券后价 ¥1,280", "Price CNY 1,280"),
                                ],
                                accent="#e02e24",
                            ),
                        ),
                        Proof(
                            "实物照片-桌面断面.jpg",
                            "other",
                            "桌面边缘断面，可见密度板和木皮",
                            lambda: demo.jpeg(
                                ("实物照片", "Photo of the goods"),
                                [("桌面断面：密度板 + 木皮", "Edge: fibreboard under veneer")],
                                accent="#8a6d3b",
                            ),
                        ),
                    ),
                    contacts=(
                        Contact(
                            "regulator",
                            "complaint",
                            "以消费者身份向 12315 投诉优品实木家具店虚假宣传：商品页标注“全实木”，"
                            "实为密度板贴木皮；请求退货退款。",
                            body="12315",
                            counterpart="全国 12315 平台",
                            reference="TS3301102026101000931",
                            evidence=("商品页截图.png", "实物照片-桌面断面.jpg"),
                        ),
                    ),
                ),
                Step(
                    30,
                    14,
                    "lina",
                    note="12315 已受理，转商家所在地市场监管局调解。",
                    contacts=(
                        Contact(
                            "regulator",
                            "response_received",
                            "12315 短信通知：投诉已受理，转商家所在地市场监管局调解。",
                            body="12315",
                            direction="inbound",
                            counterpart="全国 12315 平台",
                            reference="TS3301102026101000931",
                        ),
                    ),
                ),
            ],
        ),
        Story(
            owner="lina",
            kind="deposit_refund",
            platform="taobao",
            title="淘宝旧店 1000 元保证金退回",
            description="旧淘宝店关店后申请解冻消费者保障保证金。",
            details={
                "store_id": "tb-5522190",
                "deposit_amount": "1000.00",
                "store_closed_on": _day(125),
            },
            amount_claimed="1000.00",
            steps=[
                Step(119, 10, "lina", "filed", "在千牛【保证金】页面申请解冻。"),
                Step(110, 15, "lina", "in_review", "进入 15 天公示期。"),
                Step(95, 11, "lina", "decided", "公示期满无投诉，平台同意退还。"),
                Step(
                    90,
                    9,
                    "lina",
                    "resolved",
                    "保证金已原路退回支付宝。",
                    outcome="won",
                    recovered="1000.00",
                ),
            ],
        ),
        Story(
            owner="wanghao",
            kind="account_ban",
            platform="kuaishou",
            title="快手账号被误判为营销号永久封禁",
            description=(
                "账号“浩哥户外”所有视频均为本人原创户外记录，无导流、无营销，"
                "突然被以“营销号”为由永久封禁，12 万粉丝无法触达。"
            ),
            details={
                "account_id": "haoge_outdoor",
                "ban_type": "permanent",
                "banned_on": _day(34),
            },
            platform_account="haoge_outdoor",
            platform_reference="KS-SS-20261018-4471",
            steps=[
                Step(
                    33,
                    9,
                    "wanghao",
                    "filed",
                    "通过快手 App【设置-反馈与帮助-账号申诉】提交申诉，附身份证与原始拍摄素材。",
                    contacts=(
                        Contact(
                            "in_app",
                            "appeal",
                            "提交账号申诉：所有视频均为本人原创户外记录，无导流、无营销。",
                            body="kuaishou",
                            counterpart="快手账号申诉",
                            reference="KS-SS-20261018-4471",
                        ),
                    ),
                ),
                Step(30, 18, "wanghao", "in_review", "申诉已受理。"),
                Step(27, 10, "wanghao", "info_requested", "平台要求录制手持身份证验证视频。"),
                Step(26, 21, "wanghao", "in_review", "已上传验证视频。"),
                Step(20, 14, "wanghao", "decided", "申诉通过，账号解封，但直播权限仍限制 7 天。"),
                Step(
                    19,
                    10,
                    "zhouyun",
                    "resolved",
                    "账号已恢复；直播权限限制属平台常规处理，结案为部分胜诉。",
                    outcome="partly_won",
                ),
            ],
        ),
        Story(
            owner="wanghao",
            kind="content_takedown",
            platform="douyin",
            title="原创露营视频被以“侵犯著作权”为由下架",
            description=(
                "视频为本人在川西拍摄的原创露营记录，被一位晚三天发布相似视频的账号投诉侵权后下架。"
            ),
            details={
                "content_url": "https://www.douyin.com/video/7420938475610293011",
                "takedown_reason": "copyright",
                "taken_down_on": _day(12),
            },
            platform_account="浩哥户外",
            platform_reference="DY-IP-7730219",
            steps=[
                Step(
                    11,
                    20,
                    "wanghao",
                    "filed",
                    "提交原创申诉与反通知：原始素材（含拍摄时间信息）、拍摄花絮与首发时间截图。",
                    proofs=(
                        Proof(
                            "下架通知.png",
                            "platform_notice",
                            "抖音作品下架通知",
                            lambda: demo.png(
                                ("系统通知", "System notice"),
                                [
                                    ("作品因侵犯著作权已下架", "Removed: copyright complaint"),
                                    ("可在 7 日内提交申诉", "Appeal within 7 days"),
                                ],
                            ),
                        ),
                        Proof(
                            "首发时间截图.png",
                            "originality_proof",
                            "本账号首发时间比投诉方早三天",
                            lambda: demo.png(
                                ("作品管理", "My videos"),
                                [
                                    ("川西露营 Vlog", "Camping in western Sichuan"),
                                    ("发布时间：投诉方发布前 3 天", "Posted 3 days before theirs"),
                                ],
                                accent="#161823",
                            ),
                        ),
                    ),
                    contacts=(
                        Contact(
                            "in_app",
                            "counter_notice",
                            "提交不侵权声明（反通知）：附原始素材、拍摄花絮和首发时间截图，本视频比"
                            "投诉方早发布 3 天。",
                            body="douyin",
                            counterpart="抖音版权申诉",
                            reference="DY-IP-7730219",
                            evidence=("首发时间截图.png",),
                        ),
                    ),
                ),
                Step(
                    8,
                    10,
                    "wanghao",
                    "info_requested",
                    "平台要求提供投诉方作品与本视频的比对说明。",
                    contacts=(
                        Contact(
                            "in_app",
                            "response_received",
                            "平台站内信：请在 24 小时内补充投诉方作品与本视频的比对说明。",
                            body="douyin",
                            direction="inbound",
                            counterpart="抖音版权申诉",
                            reference="DY-IP-7730219",
                        ),
                    ),
                ),
                Step(
                    6,
                    16,
                    "zhouyun",
                    note="建议同时向中国版权保护中心申请作品登记，便于后续维权。",
                ),
                Step(
                    5,
                    11,
                    "wanghao",
                    "in_review",
                    "已提交比对说明：投诉方视频发布时间晚于本视频 3 天。",
                ),
            ],
        ),
        Story(
            owner="wanghao",
            kind="account_ban",
            platform="douyin",
            title="抖音账号被限制直播功能 30 天",
            description="直播中展示户外装备被判定为“违规营销”，直播功能被限制 30 天。",
            details={
                "account_id": "dy_haoge_2201",
                "ban_type": "feature_limited",
                "banned_on": _day(9),
            },
            platform_account="dy_haoge_2201",
            steps=[
                Step(9, 22, "wanghao", "filed", "在抖音 App 违规记录页提交申诉。"),
                Step(7, 10, "wanghao", "in_review"),
                Step(
                    3,
                    15,
                    "wanghao",
                    "decided",
                    "申诉未通过，维持处罚。申诉结果页提示可在 7 天内再次申诉。",
                ),
            ],
        ),
        Story(
            owner="wanghao",
            kind="content_takedown",
            platform="kuaishou",
            title="直播回放被以“违规营销”为由删除",
            description="回放中介绍了自用的帐篷品牌，未挂链接，未收费。",
            details={
                "content_url": "https://www.kuaishou.com/short-video/3xq8f2k9w4m7c6a",
                "takedown_reason": "policy",
                "taken_down_on": _day(3),
            },
            platform_account="haoge_outdoor",
            steps=[
                Step(2, 21, "wanghao", note="先收集直播回放录屏和违规通知截图，再提交申诉。"),
            ],
        ),
        Story(
            owner="wanghao",
            kind="purchase_complaint",
            platform="jd",
            title="京东购买的补光灯色温与描述不符",
            description="商品页标称 3200K-5600K 可调，实测最高只有 4300K。",
            details={
                "order_number": "298817736520",
                "amount_paid": "459.00",
                "merchant_name": "影途摄影器材专营店",
                "purchased_on": _day(28),
                "goods_received_on": _day(26),
                "issue": "not_as_described",
            },
            amount_claimed="459.00",
            steps=[
                Step(25, 19, "wanghao", "filed", "联系商家客服并提交售后申请，附色温实测照片。"),
                Step(23, 10, "wanghao", "withdrawn", "商家同意换新，撤回投诉。"),
            ],
        ),
        *clock_stories(),
    ]


def clock_stories() -> list[Story]:
    """Cases whose clocks run out minutes after the seeding, so the worker's sweep (every
    minute, with the beat `make run` embeds) visibly warns and breaches them.

    1. The platform asked the seller for papers 23 h 55 min ago: the 24-hour seller.reply
       clock is past its warning (6 h before) and runs out 5 minutes after seeding; the
       platform's decision clock is paused meanwhile and its first response met.
    2. An urgent appeal filed 19 h 57 min ago: the platform's 24-hour first response warns
       4 hours before, 3 minutes after seeding, and runs out 4 h 3 min after it."""
    return [
        Story(
            owner="lina",
            kind="store_removal",
            platform="wechat_shop",
            title="视频号小店被判“虚假发货”扣 12 分，平台要求 24 小时内补充物流凭证",
            description=(
                "平台以“虚假发货”为由扣 12 分并限制店铺流量。所有订单均按承诺时间发货，"
                "有快递揽收记录和物流轨迹为证。"
            ),
            details={
                "store_id": "wx-shop-55210",
                "violation_cited": "虚假发货：揽收时间晚于承诺发货时间",
                "notice_received_on": _day(3),
            },
            platform_account="娜娜家居视频号小店",
            platform_reference="WXS-APL-0931207",
            steps=[
                _ago(
                    datetime.timedelta(days=2, hours=5),
                    "lina",
                    "filed",
                    note="在视频号小店【违规处理-申诉】提交申诉，附发货记录。",
                    contacts=(
                        Contact(
                            "in_app",
                            "appeal",
                            "提交申诉：订单均按时发货，附快递揽收记录与物流轨迹。",
                            body="wechat_shop",
                            counterpart="视频号小店违规申诉",
                            reference="WXS-APL-0931207",
                        ),
                    ),
                ),
                _ago(
                    datetime.timedelta(days=1, hours=6),
                    "lina",
                    "in_review",
                    note="申诉状态变为“平台审核中”。",
                ),
                _ago(
                    datetime.timedelta(hours=23, minutes=55),
                    "lina",
                    "info_requested",
                    note="平台要求 24 小时内补充快递揽收底单和物流轨迹截图，逾期按放弃申诉处理。",
                    contacts=(
                        Contact(
                            "in_app",
                            "response_received",
                            "平台站内信：请在 24 小时内补充揽收底单和物流轨迹截图，"
                            "逾期视为放弃申诉。",
                            body="wechat_shop",
                            direction="inbound",
                            counterpart="视频号小店违规申诉",
                            reference="WXS-APL-0931207",
                        ),
                    ),
                ),
            ],
        ),
        Story(
            owner="wanghao",
            kind="account_ban",
            platform="douyin",
            title="抖音直播带货账号被误封，今晚有品牌专场直播",
            description=(
                "账号因“疑似刷量”被临时封禁，无法开播。今晚 8 点有已签约的品牌专场，"
                "封禁不解除将承担违约责任。"
            ),
            details={
                "account_id": "dy_haoge_live",
                "ban_type": "temporary",
                "banned_on": _day(1),
            },
            platform_account="dy_haoge_live",
            platform_reference="DY-BAN-5520931",
            priority="urgent",
            steps=[
                _ago(
                    datetime.timedelta(hours=19, minutes=57),
                    "wanghao",
                    "filed",
                    note=(
                        "在抖音 App【设置-账号与安全-申诉】提交紧急申诉，附品牌合作合同和直播预告。"
                    ),
                    contacts=(
                        Contact(
                            "in_app",
                            "appeal",
                            "提交紧急申诉：账号无刷量行为，附近 30 天直播数据截图和品牌合作合同。",
                            body="douyin",
                            counterpart="抖音账号申诉",
                            reference="DY-BAN-5520931",
                        ),
                    ),
                ),
                _ago(
                    datetime.timedelta(hours=2),
                    "zhouyun",
                    note="加急申诉平台承诺 24 小时内答复；到期仍未答复，建议拨打抖音客服热线催办。",
                ),
            ],
        ),
    ]


def _moment(days_ago: int, hour: int) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = timezone.localdate(timezone=zone) - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour, 7), tzinfo=zone)


@contextlib.contextmanager
def clock_at(moment: datetime.datetime):
    """Run services as if it were `moment`: they all read the time from `cases.clock.now`."""
    real_now = clock.now
    clock.now = lambda: moment
    try:
        yield
    finally:
        clock.now = real_now


class Command(BaseCommand):
    help = "Load demo data (Chinese sellers and cases of every kind) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo accounts have a published password).",
        )

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production, and the demo accounts share a "
                "published password. Pass --force if you really want demo data here."
            )
        # The moment clock stories count back from (see clock_stories).
        self.seeded_at = timezone.now()
        with transaction.atomic():
            users, new_users = self._people()
            new_cases = sum(self._story(story, users) for story in stories())
        self.stdout.write(
            f"Demo data: {new_users} new users, {new_cases} new cases "
            f"({Case.objects.filter(owner__in=users.values()).count()} demo cases in all)."
        )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins / 演示账号"))
        for person in PEOPLE:
            who = f"{person.last_name}{person.first_name} {person.about}".strip()
            self.stdout.write(f"  {person.username:<9} {DEMO_PASSWORD:<15} {who}")
        self.stdout.write("  (a password changed since the first load stays changed)")

    def _people(self) -> tuple[dict[str, User], int]:
        users, created = {}, 0
        for person in PEOPLE:
            user = User.objects.filter(username=person.username).first()
            if user is None:
                created += 1
                email = f"{person.username}@example.cn"
                if person.superuser:
                    # Superusers are Django's own; the role makes them staff in the product too.
                    user = User.objects.create_superuser(
                        person.username, email, DEMO_PASSWORD, role=person.role
                    )
                else:
                    user = user_create(
                        username=person.username,
                        password=DEMO_PASSWORD,
                        role=person.role,
                        email=email,
                    )
                user.first_name, user.last_name = person.first_name, person.last_name
                user.save(update_fields=["first_name", "last_name"])
            users[person.username] = user
        return users, created

    def _story(self, story: Story, users: dict[str, User]) -> int:
        owner = users[story.owner]
        if Case.objects.filter(owner=owner, title=story.title).exists():
            return 0
        first = story.steps[0] if story.steps else None
        if first is not None and first.ago is not None:
            created = self.seeded_at - first.ago - CREATED_BEFORE_FIRST_STEP
        else:
            created = _moment(first.days_ago if first else 0, 8)
        with clock_at(created):
            case = case_create(
                actor=owner,
                kind=story.kind,
                platform=story.platform,
                title=story.title,
                description=story.description,
                details=story.details,
                platform_account=story.platform_account,
                platform_reference=story.platform_reference,
                amount_claimed=Decimal(story.amount_claimed) if story.amount_claimed else None,
                priority=story.priority,
            )
        files: dict[str, EvidenceItem] = {}
        bodies = set(ExternalBody.objects.filter(active=True).values_list("slug", flat=True))
        for step in story.steps:
            actor = users[step.by]
            moment = (
                self.seeded_at - step.ago
                if step.ago is not None
                else _moment(step.days_ago, step.hour)
            )
            with clock_at(moment):
                for proof in step.proofs:
                    files[proof.name] = evidence_attach(
                        actor=actor,
                        case=case,
                        upload=SimpleUploadedFile(proof.name, proof.make()),
                        kind=proof.kind,
                        description=proof.description,
                    )
                for contact in step.contacts:
                    contact_log(
                        actor=actor,
                        case=case,
                        channel=contact.channel,
                        direction=contact.direction,
                        occurred_at=(
                            _moment(contact.days_ago, contact.hour)
                            if contact.days_ago is not None
                            else moment - CONTACT_LOGGED_AFTER
                        ),
                        # A body staff have switched off is left out, not an error.
                        body=contact.body if contact.body in bodies else None,
                        counterpart=contact.counterpart,
                        filing_type=contact.filing_type,
                        external_reference=contact.reference,
                        summary=contact.summary,
                        follow_up_on=contact.follow_up_on or None,
                        evidence=[files[name].pk for name in contact.evidence],
                    )
                if step.to:
                    case = case_transition(
                        actor=actor,
                        case=case,
                        to=step.to,
                        note=step.note,
                        outcome=step.outcome,
                        amount_recovered=step.recovered,
                    )
                elif step.note:
                    case_add_note(actor=actor, case=case, note=step.note)
        return 1
