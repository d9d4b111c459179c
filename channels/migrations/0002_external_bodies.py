"""The directory of external bodies, shipped as data: every place a seller can file, with how to
file, what reference comes back and the clock that filing starts. Staff edit it in the admin.

Clocks and their sources come from DEADLINE-RULES.md; `rule_keys` are that file's rule keys.
Platform figures are from seller guides and marked as such (secondary); statutory ones cite the
article. Phone numbers and addresses are given only where they are national and stable.

Forward: update_or_create by slug, so running it over an edited directory restores the shipped
texts of these slugs and touches nothing else. Backward: deletes these slugs, except bodies that
contacts already point to (the contact log is part of a case's record).
"""

from django.db import migrations

PLATFORM_RULES = [
    "platform.first_response",
    "platform.first_response.urgent",
    "platform.decision",
    "appeal.window",
]
# 电子商务法 Art 43 binds platforms operating under Chinese law, not Amazon's or TikTok Shop's
# overseas marketplaces.
DOMESTIC_PLATFORM_RULES = [*PLATFORM_RULES, "ecom.counter_notice_wait"]

PLATFORM_SOURCE = (
    "Platform help pages and seller guides (secondary; verify per platform); 电子商务法 Art 43; "
    "民法典 Art 1195, 1196"
)
OVERSEAS_PLATFORM_SOURCE = "Platform seller rules and help pages (secondary; verify per platform)"


def _platform_clock(*, appeal_en="", appeal_zh="", extra_en="", extra_zh="", domestic=True):
    """The platform desks share one clock text: no law sets their reply times."""
    en = [
        "No statutory clock: the platform's own promise applies. Recourse assumes a first reply "
        "within 5 working days (24 hours for urgent cases) and a decision within 7 working days "
        "of review. These figures come from seller guides, not law: the time shown on your "
        "ticket wins.",
        appeal_en
        or "After a rejection, Recourse allows 15 days to appeal unless the decision gives "
        "another time.",
    ]
    zh = [
        "无法定时限，以平台自己的承诺为准。Recourse 默认首次答复在 5 个工作日内（紧急案件 "
        "24 小时内），进入审核后 7 个工作日内作出处理结果。这些数字来自商家指南，并非法律规定，"
        "以工单上显示的时限为准。",
        appeal_zh or "被驳回后，Recourse 默认 15 天内可申诉；处理结果另有说明的，以其为准。",
    ]
    if domestic:
        en.append(
            "After an intellectual-property takedown, your counter-notice (不侵权声明) is "
            "forwarded to the complainant; if no complaint or lawsuit follows within 15 days of "
            "it reaching them, a shopping platform must lift the measure (电子商务法 Art 43). "
            "For videos and posts the platform must do so after a reasonable time "
            "(民法典 Art 1196)."
        )
        zh.append(
            "因知识产权投诉被下架的，可提交不侵权声明，平台转送投诉人；声明到达投诉人后 15 日内"
            "未收到其已投诉或起诉的通知的，电商平台应当及时终止所采取的措施（电子商务法第四十三"
            "条）；视频、笔记等内容在合理期限后同样应当恢复（民法典第一千一百九十六条）。"
        )
    if extra_en:
        en.append(extra_en)
        zh.append(extra_zh)
    return " ".join(en), "".join(zh)


def _platform(
    slug,
    order,
    *,
    name,
    name_zh,
    how,
    how_zh,
    ref,
    ref_zh,
    url="",
    domestic=True,
    more_rules=(),
    **clock_texts,
):
    clock, clock_zh = _platform_clock(domestic=domestic, **clock_texts)
    rules = [*(DOMESTIC_PLATFORM_RULES if domestic else PLATFORM_RULES), *more_rules]
    return {
        "slug": slug,
        "kind": "platform",
        "platform": slug,
        "name": name,
        "name_zh": name_zh,
        "how_to_file": how,
        "how_to_file_zh": how_zh,
        "reference_hint": ref,
        "reference_hint_zh": ref_zh,
        "clock": clock,
        "clock_zh": clock_zh,
        "rule_keys": rules,
        "consumer_only_filings": [],
        "url": url,
        "phone": "",
        "source": PLATFORM_SOURCE if domestic else OVERSEAS_PLATFORM_SOURCE,
        "sort_order": order,
    }


INTERNET_COURT_HOW = (
    "Sue online through the court's litigation platform (its website or WeChat mini-program): "
    "filing, hearings and service all happen online. It hears the first-instance cases that "
    "basic courts in {city} would otherwise hear, among them disputes over online shopping "
    "contracts, over service contracts made and performed online, and over copyright in works "
    "published or spread online — usually because the platform or business is based in {city} "
    "or your agreement names a court there. Upload the statement of claim (起诉状), your ID, the "
    "other side's details and your evidence."
)
INTERNET_COURT_HOW_ZH = (
    "通过该院诉讼平台（网站或微信小程序）在线起诉，立案、开庭、送达都在网上完成。它受理本应由"
    "{city}基层法院管辖的第一审案件，包括网络购物合同纠纷、在互联网上签订并履行的网络服务合同"
    "纠纷、在互联网上发表或传播作品的著作权纠纷等，通常是因为平台或经营者住所地在{city}，或"
    "协议约定由{city}的法院管辖。上传起诉状、身份证明、对方信息和证据。"
)
INTERNET_COURT_CLOCK = (
    "The court decides within 7 days whether to register the case (民事诉讼法 Art 126). You have "
    "15 days from service of a first-instance judgment to appeal (Art 171). A period whose last "
    "day is a public holiday ends on the next working day (Art 85). The limitation period is 3 "
    "years from when you learned of the harm (民法典 Art 188)."
)
INTERNET_COURT_CLOCK_ZH = (
    "法院应当在 7 日内决定是否立案（民事诉讼法第一百二十六条）；不服一审判决的，自判决书送达之日"
    "起 15 日内上诉（第一百七十一条）。期间的最后一日是法定休假日的，顺延至休假日后的第一日"
    "（第八十五条）。诉讼时效为自知道权利受到损害之日起三年（民法典第一百八十八条）。"
)


def _internet_court(slug, order, *, city, city_zh, name, name_zh, url):
    return {
        "slug": slug,
        "kind": "court",
        "platform": "",
        "name": name,
        "name_zh": name_zh,
        "how_to_file": INTERNET_COURT_HOW.format(city=city),
        "how_to_file_zh": INTERNET_COURT_HOW_ZH.format(city=city_zh),
        "reference_hint": (
            "The case number (案号) once the case is registered; until then, keep the online "
            "filing's record."
        ),
        "reference_hint_zh": "立案后法院给出的案号；立案前保存网上立案的提交记录。",
        "clock": INTERNET_COURT_CLOCK,
        "clock_zh": INTERNET_COURT_CLOCK_ZH,
        "rule_keys": ["court.filing_decision", "court.appeal"],
        "consumer_only_filings": [],
        "url": url,
        "phone": "",
        "source": (
            "最高人民法院关于互联网法院审理案件若干问题的规定 (2018) Art 2; "
            "民事诉讼法 (2023) Art 85, 126, 171; 民法典 Art 188"
        ),
        "sort_order": order,
    }


BODIES = [
    # --- The platforms' own desks ----------------------------------------------------------
    _platform(
        "douyin",
        10,
        name="Douyin customer service and appeals",
        name_zh="抖音客服与申诉",
        how=(
            "In the Douyin app, use the appeal button on the notice (in your violation records "
            "or on the removed video); for anything else, Settings → Feedback and help "
            "(反馈与帮助). Attach your identity check, original footage and screenshots. Shop, "
            "order and deposit matters go to the Douyin shop desk instead."
        ),
        how_zh=(
            "在抖音 App 中，点击违规记录或作品下架通知上的“申诉”；其他问题通过“设置 → 反馈与帮助”"
            "联系客服。附上身份验证、原始素材和截图。店铺、订单和保证金问题请找抖店商家客服。"
        ),
        ref=(
            "The appeal or feedback number shown in the appeal's progress (申诉编号/反馈编号); if "
            "none is shown, a screenshot with the time."
        ),
        ref_zh="申诉进度中的申诉编号或反馈编号；没有编号的，截图保存提交时间。",
    ),
    _platform(
        "douyin_shop",
        20,
        name="Douyin shop merchant service (抖店)",
        name_zh="抖店商家客服",
        how=(
            "In the Douyin shop merchant backend (抖店后台): ask merchant customer service "
            "(商家客服) or open a ticket (工单); appeal a penalty under violation management "
            "(违规管理). Apply to exit the store (退店) in the store settings; once the exit is "
            "approved, ask for the deposit (保证金) back under Assets → Deposit. On every call, "
            "note the agent's ID and the ticket number."
        ),
        how_zh=(
            "在抖店商家后台联系“商家客服”或提交工单；处罚在“违规管理”中申诉。在店铺设置中申请"
            "“退店”，退店通过后在“资产 → 保证金”申请退还保证金。每次通话都记下客服工号和工单号。"
        ),
        ref=(
            "The ticket number (工单号) from customer service; for the exit application and the "
            "deposit refund, screenshots of their status pages with dates."
        ),
        ref_zh="商家客服给出的工单号；退店申请和保证金退还请截图保存进度页及日期。",
        url="https://fxg.jinritemai.com",
        extra_en=(
            "After an exit application (退店), Recourse expects the exit review within 3 working "
            "days (Douyin shop exit process — secondary); the deposit is refunded after the "
            "exit is approved and open orders and after-sales are settled."
        ),
        extra_zh=(
            "提交退店申请后，Recourse 预计 3 个工作日内完成退店审核（抖店退店流程，二手资料）；"
            "退店通过、订单和售后处理完毕后退还保证金。"
        ),
        more_rules=["deposit.exit_review"],
    ),
    _platform(
        "kuaishou",
        30,
        name="Kuaishou customer service and appeals",
        name_zh="快手客服与申诉",
        how=(
            "Creators: in the Kuaishou app, the appeal entry on the violation notice, or "
            "Settings → Feedback and help (反馈与帮助). Merchants: the Kuaishou shop "
            "(快手小店) merchant backend — customer service, tickets and violation appeals."
        ),
        how_zh=(
            "创作者：在快手 App 的违规通知中点击申诉入口，或通过“设置 → 反馈与帮助”提交。"
            "商家：在快手小店商家后台联系客服、提交工单或违规申诉。"
        ),
        ref="The appeal or ticket number (申诉编号/工单号).",
        ref_zh="申诉编号或工单号。",
    ),
    _platform(
        "taobao",
        40,
        name="Taobao / Tmall customer service",
        name_zh="淘宝 / 天猫客服",
        how=(
            "Buyers: in the order, apply for after-sales (申请售后); if the seller refuses, ask "
            "Taobao to step in (申请平台介入). Merchants: in Qianniu (千牛), the seller "
            "workbench, contact merchant customer service, appeal a penalty from its violation "
            "record, and handle the deposit on the deposit (保证金) page. Tmall shares this desk."
        ),
        how_zh=(
            "买家：在订单中“申请售后”，卖家拒绝的，“申请平台介入”。商家：在千牛工作台联系商家"
            "客服，在违规记录中对处罚申诉，在“保证金”页面办理保证金。天猫与淘宝共用此渠道。"
        ),
        ref=(
            "Buyers: the refund or after-sales number (退款编号). Merchants: the ticket or "
            "appeal number (工单号/申诉编号)."
        ),
        ref_zh="买家：退款编号（售后编号）。商家：工单号或申诉编号。",
        url="https://myseller.taobao.com",
    ),
    _platform(
        "pinduoduo",
        50,
        name="Pinduoduo customer service",
        name_zh="拼多多客服",
        how=(
            "Buyers: in the order, apply for a refund or return (申请售后); if the merchant "
            "refuses, ask Pinduoduo to step in (申请平台介入). Merchants: the Pinduoduo merchant "
            "backend (拼多多商家后台) — official customer service, tickets and violation appeals."
        ),
        how_zh=(
            "买家：在订单中“申请售后”，商家拒绝的，“申请平台介入”。商家：在拼多多商家后台联系"
            "官方客服、提交工单或违规申诉。"
        ),
        ref=(
            "Buyers: the after-sales number (售后单号). Merchants: the ticket or appeal number "
            "(工单号/申诉编号)."
        ),
        ref_zh="买家：售后单号。商家：工单号或申诉编号。",
        url="https://mms.pinduoduo.com",
    ),
    _platform(
        "jd",
        60,
        name="JD.com customer service",
        name_zh="京东客服",
        how=(
            "Buyers: in My orders, apply for after-sales (申请售后) and ask JD customer service to "
            "step in if the shop refuses. Merchants: the JD merchant backend (京麦) — customer "
            "service and appeals."
        ),
        how_zh="买家：在“我的订单”中申请售后，店铺拒绝的，请京东客服介入。商家：在京麦商家后台联系客服、提交申诉。",
        ref=(
            "Buyers: the after-sales service number (服务单号). Merchants: the ticket number "
            "(工单号)."
        ),
        ref_zh="买家：售后服务单号。商家：工单号。",
    ),
    _platform(
        "xiaohongshu",
        70,
        name="Xiaohongshu customer service and appeals",
        name_zh="小红书客服与申诉",
        how=(
            "Creators: the appeal entry on the notice, or Settings → Help and customer service "
            "(帮助与客服). Merchants: the Qianfan (千帆) merchant backend — customer service and "
            "violation appeals."
        ),
        how_zh=(
            "创作者：通知中的申诉入口，或“设置 → 帮助与客服”。"
            "商家：在小红书千帆商家后台联系客服、提交违规申诉。"
        ),
        ref="The ticket or appeal number (工单号/申诉编号).",
        ref_zh="工单号或申诉编号。",
    ),
    _platform(
        "wechat_shop",
        80,
        name="WeChat shop customer service",
        name_zh="微信小店客服",
        how=(
            "Buyers: in the WeChat order, apply for after-sales or complain about the shop "
            "(投诉商家). Merchants: the WeChat shop (微信小店) merchant backend — customer service "
            "and violation appeals."
        ),
        how_zh="买家：在微信订单中申请售后，或投诉商家。商家：在微信小店商家后台联系客服、提交违规申诉。",
        ref=(
            "Buyers: the after-sales or complaint number (售后单号/投诉单号). Merchants: the "
            "appeal number (申诉单号)."
        ),
        ref_zh="买家：售后单号或投诉单号。商家：申诉单号。",
    ),
    _platform(
        "tiktok_shop",
        90,
        name="TikTok Shop seller support",
        name_zh="TikTok Shop 卖家支持",
        how=(
            "In the Seller Center of your shop's region: contact support from the Help Center to "
            "open a ticket; appeal a violation from Account Health within the time it shows. "
            "Write in the language of that market where you can."
        ),
        how_zh=(
            "在店铺所在站点的卖家中心：通过帮助中心联系客服创建工单；违规处罚在“账户健康”页面按"
            "显示的时限申诉。尽量使用该站点的语言填写。"
        ),
        ref="The ticket ID and the appeal ID (工单号/申诉编号).",
        ref_zh="工单号和申诉编号。",
        domestic=False,
        appeal_en=(
            "TikTok Shop's seller rules allow 30 days for a first appeal against a violation and "
            "15 days for a second (secondary)."
        ),
        appeal_zh=(
            "TikTok Shop 商家规则：违规处罚的首次申诉期为 30 天，二次申诉期为 15 天（二手资料）。"
        ),
    ),
    _platform(
        "amazon",
        100,
        name="Amazon Seller Central support",
        name_zh="亚马逊卖家支持",
        how=(
            "In Seller Central: Help → Get support opens a case. Appeal an account deactivation "
            "or a listing removal from Account Health, with a plan of action (POA) that names the "
            "cause, what you fixed and how you prevent it."
        ),
        how_zh=(
            "在亚马逊卖家平台（Seller Central）：通过“帮助 → 获取支持”开案例（Case）。账户停用或"
            "商品下架在“账户状况”页面申诉，附上行动计划（POA），写明原因、已采取的纠正措施和预防"
            "措施。"
        ),
        ref="The Case ID from Seller Central; appeals are tracked in Account Health.",
        ref_zh="卖家平台的 Case ID；申诉进度在“账户状况”页面查看。",
        domestic=False,
    ),
    # --- Market regulator -------------------------------------------------------------------
    {
        "slug": "12315",
        "kind": "regulator",
        "platform": "",
        "name": "12315 — market regulator (complaints and reports)",
        "name_zh": "全国 12315 平台（市场监管投诉举报）",
        "how_to_file": (
            "File at www.12315.cn, in the 12315 app or WeChat mini-program, or call 12315. Choose "
            "a complaint (投诉) if you bought as a consumer and want the dispute mediated; choose "
            "a report (举报) to tell the regulator that a business — a platform included — broke "
            "the law. A merchant's dispute with a platform is taken only as a report. Give the "
            "business's name and address, the facts and what you ask for, and attach evidence."
        ),
        "how_to_file_zh": (
            "在 www.12315.cn、12315 App 或微信小程序提交，或拨打 12315。以消费者身份购买商品、"
            "希望调解纠纷的，选“投诉”；反映经营者（包括平台）涉嫌违法的，选“举报”。商家与平台之间"
            "的纠纷只能作为举报处理。写明对方的名称和地址、事实经过和具体请求，并上传证据。"
        ),
        "reference_hint": (
            "The complaint or report number (投诉单号/举报单号) shown after submitting; follow "
            "its progress under My complaints or My reports."
        ),
        "reference_hint_zh": "提交后显示的投诉单号或举报单号；可在“我的投诉”“我的举报”中查看进度。",
        "clock": (
            "Complaint: the regulator decides within 7 working days whether to accept it "
            "(市场监督管理投诉举报处理暂行办法 Art 14); mediation ends if no agreement is reached "
            "within 45 working days of acceptance (Art 21). Complaints made more than 3 years "
            "after you learned of the harm are refused (Art 15). Report: the regulator checks "
            "the leads within 15 working days, extendable by 15, and decides whether to open a "
            "case; if you reported under your real name, it tells you within 5 working days of "
            "that decision (市场监督管理行政处罚程序规定 Art 18; 暂行办法 Art 31)."
        ),
        "clock_zh": (
            "投诉：市场监管部门自收到投诉之日起 7 个工作日内决定是否受理（市场监督管理投诉举报"
            "处理暂行办法第十四条）；自受理之日起 45 个工作日内未达成调解协议的，终止调解（第二十"
            "一条）。知道权益受侵害之日起超过三年的投诉不予受理（第十五条）。举报：市场监管部门"
            "在 15 个工作日内核查线索并决定是否立案，特殊情况可延长 15 个工作日；实名举报的，自作出"
            "是否立案决定之日起 5 个工作日内告知举报人（市场监督管理行政处罚程序规定第十八条；"
            "暂行办法第三十一条）。"
        ),
        "rule_keys": ["samr.accept_decision", "samr.mediation_max", "samr.report_verify"],
        "consumer_only_filings": ["complaint"],
        "url": "https://www.12315.cn",
        "phone": "12315",
        "source": (
            "市场监督管理投诉举报处理暂行办法 (2022) Art 3, 14, 15, 21, 31; "
            "市场监督管理行政处罚程序规定 Art 18; 电子商务法 Art 35, 82"
        ),
        "sort_order": 200,
    },
    {
        "slug": "12315_odr",
        "kind": "regulator",
        "platform": "",
        "name": "12315 online dispute resolution (ODR)",
        "name_zh": "12315 在线消费纠纷解决（ODR）",
        "how_to_file": (
            "On the 12315 platform, a complaint against a business that has joined online "
            "dispute resolution (an ODR business) goes straight to that business to settle with "
            "you. Consumers only. If it does not settle, the complaint can go on to the regulator."
        ),
        "how_to_file_zh": (
            "在 12315 平台投诉已加入在线消费纠纷解决机制的企业（ODR 企业）时，投诉直接转给企业与"
            "您协商和解。仅限消费者使用。协商不成的，可转为由市场监管部门处理的投诉。"
        ),
        "reference_hint": "The complaint number (投诉单号) on 12315.",
        "reference_hint_zh": "12315 平台上的投诉单号。",
        "clock": (
            "The business has 10 working days to settle with you (12315 ODR rules — secondary). "
            "If it does not, turn it into a complaint to the regulator, which decides within 7 "
            "working days whether to accept it (市场监督管理投诉举报处理暂行办法 Art 14)."
        ),
        "clock_zh": (
            "企业应在 10 个工作日内与您协商处理（12315 ODR 规则，二手资料）；未能和解的，可转为向"
            "市场监管部门的投诉，由其在 7 个工作日内决定是否受理（市场监督管理投诉举报处理暂行办法"
            "第十四条）。"
        ),
        "rule_keys": ["odr.firm_negotiation"],
        "consumer_only_filings": ["complaint"],
        "url": "https://www.12315.cn",
        "phone": "",
        "source": "市场监督管理投诉举报处理暂行办法 Art 6, 14; 12315 ODR rules (secondary)",
        "sort_order": 210,
    },
    {
        "slug": "consumer_association",
        "kind": "consumer_association",
        "platform": "",
        "name": "Consumer association (消费者协会)",
        "name_zh": "消费者协会（消费者权益保护委员会）",
        "how_to_file": (
            "Complain to the consumer association (消费者协会, in some places "
            "消费者权益保护委员会) of the city or county where the business is, by phone, in "
            "person or on its website; "
            "it investigates and mediates. Consumer disputes only — not a merchant's dispute with "
            "a platform."
        ),
        "how_to_file_zh": (
            "通过电话、现场或网站，向经营者所在地的市、县消费者协会（有的地方称消费者权益保护"
            "委员会）投诉，由其调查、调解。仅受理消费纠纷，不受理商家与平台之间的纠纷。"
        ),
        "reference_hint": (
            "A complaint number if the association gives one; otherwise the name of the person "
            "handling it and the date."
        ),
        "reference_hint_zh": "协会给出的投诉编号；没有编号的，记下经办人姓名和日期。",
        "clock": (
            "No statutory time limit: the association mediates; if that fails, you may apply for "
            "arbitration or sue (消费者权益保护法 Art 37, 39). 12315 does not take a dispute the "
            "association has already handled (市场监督管理投诉举报处理暂行办法 Art 15): choose one."
        ),
        "clock_zh": (
            "无法定时限，由协会组织调解；调解不成的，可以申请仲裁或向法院起诉（消费者权益保护法"
            "第三十七条、第三十九条）。消费者协会已受理或处理过的同一争议，12315 不再受理（市场"
            "监督管理投诉举报处理暂行办法第十五条），两者请选其一。"
        ),
        "rule_keys": [],
        "consumer_only_filings": ["complaint"],
        "url": "https://www.cca.org.cn",
        "phone": "",
        "source": "消费者权益保护法 Art 37, 39; 市场监督管理投诉举报处理暂行办法 Art 15",
        "sort_order": 220,
    },
    {
        "slug": "12345",
        "kind": "hotline",
        "platform": "",
        "name": "12345 government service hotline",
        "name_zh": "12345 政务服务便民热线",
        "how_to_file": (
            "Call 12345, or use your city's 12345 website or app. The hotline records your matter "
            "and passes it to the department in charge — useful when you do not know which one "
            "that is. For consumer complaints and reports about businesses, 12315 is more direct."
        ),
        "how_to_file_zh": (
            "拨打 12345，或使用所在城市的 12345 网站、App。热线登记诉求后转交主管部门办理，适合"
            "不清楚该找哪个部门的情况。消费投诉和对经营者的举报，直接找 12315 更快。"
        ),
        "reference_hint": "The work-order number (工单号) given on the call or by text message.",
        "reference_hint_zh": "通话中或短信告知的工单号。",
        "clock": (
            "No national clock: the department it passes your matter to answers within the time "
            "set by local rules. A complaint or report passed to the market regulator follows the "
            "12315 rules."
        ),
        "clock_zh": (
            "无全国统一时限，承办部门按当地规定的时限答复。转给市场监管部门的投诉举报，按 12315 "
            "的规则处理。"
        ),
        "rule_keys": [],
        "consumer_only_filings": [],
        "url": "",
        "phone": "12345",
        "source": "国务院办公厅关于进一步优化地方政务服务便民热线的指导意见 (2020)",
        "sort_order": 230,
    },
    # --- Cyberspace administration --------------------------------------------------------
    {
        "slug": "12377",
        "kind": "cyberspace",
        "platform": "",
        "name": "12377 — CAC illegal and harmful information reporting centre",
        "name_zh": "12377 中央网信办（国家互联网信息办公室）违法和不良信息举报中心",
        "how_to_file": (
            "Report at www.12377.cn, in its app, or call 12377 — only for illegal and harmful "
            "information online: rumours, fraud, pornography, leaked personal information, online "
            "abuse. It does not handle refunds, deposits or other commercial disputes; take those "
            "to the platform, 12315, arbitration or a court."
        ),
        "how_to_file_zh": (
            "通过 www.12377.cn、举报中心客户端或拨打 12377 举报。只受理网上的违法和不良信息："
            "谣言、诈骗、色情、个人信息泄露、网络暴力等。退款、保证金等商业纠纷不在受理范围，请找"
            "平台、12315、仲裁机构或法院。"
        ),
        "reference_hint": (
            "The report number if the site shows one; otherwise a screenshot of the confirmation "
            "with the time."
        ),
        "reference_hint_zh": "网站显示的举报编号；没有的，截图保存提交确认页和时间。",
        "clock": "No published time limit for answering reporters.",
        "clock_zh": "对举报人的答复没有公布的时限。",
        "rule_keys": [],
        "consumer_only_filings": [],
        "url": "https://www.12377.cn",
        "phone": "12377",
        "source": "网络信息内容生态治理规定 (2019); www.12377.cn",
        "sort_order": 240,
    },
    # --- Civil routes -----------------------------------------------------------------------
    {
        "slug": "arbitration",
        "kind": "arbitration",
        "platform": "",
        "name": "Arbitration commission (仲裁委员会)",
        "name_zh": "仲裁委员会",
        "how_to_file": (
            "Only if your agreement with the platform (the merchant or user agreement) names an "
            "arbitration commission, or you both agree in writing later. Send that commission the "
            "arbitration agreement, an application stating your claims, the facts and reasons, "
            "and your evidence; many commissions accept filings online. The award is final: there "
            "is no appeal to a court, and while a valid arbitration clause stands a court will "
            "not take the case."
        ),
        "how_to_file_zh": (
            "只有与平台的协议（商家协议或用户协议）约定了仲裁委员会，或事后双方书面同意仲裁，才能"
            "申请。向约定的仲裁委员会提交仲裁协议、写明请求和事实理由的仲裁申请书以及证据；多数"
            "仲裁委员会支持网上立案。仲裁一裁终局，不能再向法院上诉；存在有效仲裁条款的，法院不"
            "受理该纠纷。"
        ),
        "reference_hint": "The case number (案号) on the notice of acceptance (受理通知书).",
        "reference_hint_zh": "受理通知书上的案号。",
        "clock": (
            "The commission decides within 5 days of receiving the application whether to accept "
            "it (仲裁法 Art 24)."
        ),
        "clock_zh": "仲裁委员会自收到仲裁申请书之日起 5 日内决定是否受理（仲裁法第二十四条）。",
        "rule_keys": ["arbitration.accept"],
        "consumer_only_filings": [],
        "url": "",
        "phone": "",
        "source": "仲裁法 Art 4, 5, 9, 24",
        "sort_order": 300,
    },
    _internet_court(
        "internet_court_beijing",
        310,
        city="Beijing",
        city_zh="北京",
        name="Beijing Internet Court",
        name_zh="北京互联网法院",
        url="https://www.bjinternetcourt.gov.cn",
    ),
    _internet_court(
        "internet_court_hangzhou",
        320,
        city="Hangzhou",
        city_zh="杭州",
        name="Hangzhou Internet Court",
        name_zh="杭州互联网法院",
        url="https://www.netcourt.gov.cn",
    ),
    _internet_court(
        "internet_court_guangzhou",
        330,
        city="Guangzhou",
        city_zh="广州",
        name="Guangzhou Internet Court",
        name_zh="广州互联网法院",
        url="https://www.gzinternetcourt.gov.cn",
    ),
    {
        "slug": "12348",
        "kind": "legal_aid",
        "platform": "",
        "name": "12348 legal advice and legal aid",
        "name_zh": "12348 公共法律服务（法律援助）",
        "how_to_file": (
            "Call 12348 or use China Legal Services Online (www.12348.gov.cn) for free legal "
            "advice. To ask for legal aid (a lawyer at no cost), apply to the legal aid centre "
            "(法律援助中心) where the court or other body handling your matter is, with proof of "
            "identity and of financial hardship. Civil legal aid covers the matters the law lists, "
            "such as unpaid wages or compensation for personal injury, and local rules may add "
            "more; an ordinary commercial dispute with a platform is often not covered, so ask "
            "first."
        ),
        "how_to_file_zh": (
            "拨打 12348 或登录中国法律服务网（www.12348.gov.cn）可获得免费法律咨询。申请法律援助"
            "（免费律师）的，向办案机关所在地的法律援助中心提出，提交身份证明和经济困难证明。民事"
            "法律援助限于法律列明的事项，如追索劳动报酬、人身损害赔偿等，各地可以扩大范围；与平台"
            "之间的一般商业纠纷往往不在其内，请先咨询。"
        ),
        "reference_hint": (
            "The receipt for the application; then the decision to grant or refuse legal aid "
            "(给予/不予法律援助决定书)."
        ),
        "reference_hint_zh": "申请的受理回执；之后是给予或不予法律援助的决定书。",
        "clock": (
            "The legal aid centre decides within 7 days of receiving the application, and assigns "
            "a lawyer within 3 days of granting it (法律援助法 Art 43)."
        ),
        "clock_zh": (
            "法律援助机构自收到申请之日起 7 日内作出是否给予法律援助的决定；决定给予的，自决定之日"
            "起 3 日内指派律师（法律援助法第四十三条）。"
        ),
        "rule_keys": ["legal_aid.decision"],
        "consumer_only_filings": [],
        "url": "https://www.12348.gov.cn",
        "phone": "12348",
        "source": "法律援助法 Art 31, 38, 43",
        "sort_order": 400,
    },
]

SLUGS = [body["slug"] for body in BODIES]


def ship_bodies(apps, schema_editor):
    ExternalBody = apps.get_model("channels", "ExternalBody")
    for body in BODIES:
        fields = {name: value for name, value in body.items() if name != "slug"}
        ExternalBody.objects.update_or_create(slug=body["slug"], defaults=fields)


def remove_bodies(apps, schema_editor):
    ExternalBody = apps.get_model("channels", "ExternalBody")
    ExternalBody.objects.filter(slug__in=SLUGS, contacts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(ship_bodies, remove_bodies),
    ]
