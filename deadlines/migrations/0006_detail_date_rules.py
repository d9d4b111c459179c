"""Issue 13: the facts a seller types drive the clocks they imply.

- deposit.exit_review also starts from the details' "exit applied for on" (until the exit
  application is logged as a contact, which restarts it from the contact).
- deposit.refund_after_closure: the deposit is due back 15 working days after the store closed
  ("store closed on"), the same unsourced figure as the refund after a granted decision.
- appeal.window.ban / appeal.window.removal (+ .tiktok_shop): a ban or a store removal is the
  platform's decision: its appeal window runs from the ban date or the notice date, with the
  figures of appeal.window (a default of 15 days, unsourced; TikTok Shop's 30).
- takedown.counter_notice: after a takedown on a rights holder's notice (电子商务法 第四十二条),
  the seller's declaration of non-infringement (第四十三条) is due within the platform's window.
  The law sets none; platforms do, and the shortest known (Alibaba's 3 working days) is
  shipped so that no seller relying on it is late.

Rules already present (edited by staff) are left as they are."""

from django.db import migrations, models

N, S = "notify", "suggest"
WD, ND = "working_days", "natural_days"
PLATFORM_PERIOD = (
    "A period a platform sets in its own rules is contractual and does not roll over "
    "(民法典 第二百零四条 leaves it to the agreement)."
)
PLATFORM_PERIOD_ZH = "平台规则自定的期限属约定期限，不适用顺延（民法典第二百零四条：另有约定的从其约定）。"

APPEAL = {
    "trigger": "detail_date",
    "duration": 15,
    "unit": ND,
    "warn_before": [3, 1],
    "on_breach": [N, S],
    "suggestion": "The platform's appeal window has probably closed: appeal at once if the "
    "platform still accepts it, or escalate to an outside body.",
    "suggestion_zh": "平台申诉期限可能已过：如平台仍受理请立即申诉，否则向外部机构投诉或举报。",
    "waiting_on": "seller",
    "source": "Default 15 ND (unsourced): check the platform's own rules",
    "secondary": True,
    "roll_over_reason": PLATFORM_PERIOD,
    "roll_over_reason_zh": PLATFORM_PERIOD_ZH,
    # Appealing answers it: the case filed with the platform, or an appeal logged.
    "met_by_statuses": ["filed", "appealed"],
    "met_by_filing_types": ["appeal"],
}
TIKTOK = {
    "duration": 30,
    "platforms": ["tiktok_shop"],
    "source": "TikTok Shop seller rules: 30 ND first appeal",
}

RULES = [
    {
        "key": "deposit.refund_after_closure",
        "name": "Deposit returned after the store closed",
        "name_zh": "店铺关闭后退还保证金",
        "trigger": "detail_date",
        "trigger_detail": "store_closed_on",
        "case_kinds": ["deposit_refund"],
        "duration": 15,
        "unit": WD,
        "warn_before": [2],
        "on_breach": [N, S],
        "suggestion": "Report (举报) the platform to SAMR, then arbitration or court.",
        "suggestion_zh": "向市场监管部门举报平台，再考虑仲裁或诉讼。",
        "waiting_on": "platform",
        "source": "Unsourced default (as deposit.refund_arrival)",
        "secondary": True,
    },
    {
        **APPEAL,
        "key": "appeal.window.ban",
        "name": "Your appeal against the ban",
        "name_zh": "封号申诉期限",
        "trigger_detail": "banned_on",
        "case_kinds": ["account_ban"],
    },
    {
        **APPEAL,
        **TIKTOK,
        "key": "appeal.window.ban.tiktok_shop",
        "name": "Your appeal against the ban (TikTok Shop)",
        "name_zh": "封号申诉期限（TikTok Shop）",
        "trigger_detail": "banned_on",
        "case_kinds": ["account_ban"],
    },
    {
        **APPEAL,
        "key": "appeal.window.removal",
        "name": "Your appeal against the store's removal",
        "name_zh": "店铺清退申诉期限",
        "trigger_detail": "notice_received_on",
        "case_kinds": ["store_removal"],
    },
    {
        **APPEAL,
        **TIKTOK,
        "key": "appeal.window.removal.tiktok_shop",
        "name": "Your appeal against the store's removal (TikTok Shop)",
        "name_zh": "店铺清退申诉期限（TikTok Shop）",
        "trigger_detail": "notice_received_on",
        "case_kinds": ["store_removal"],
    },
    {
        "key": "takedown.counter_notice",
        "name": "Your counter-notice (declaration of non-infringement)",
        "name_zh": "提交不侵权声明",
        "trigger": "detail_date",
        "trigger_detail": "taken_down_on",
        "case_kinds": ["content_takedown"],
        "duration": 3,
        "unit": WD,
        "warn_before": [1],
        "on_breach": [N, S],
        "suggestion": "Send your declaration of non-infringement (电子商务法 Art 43) now, and ask "
        "the platform for its own deadline.",
        "suggestion_zh": "请立即提交不侵权声明（《电子商务法》第四十三条），并向平台确认其规定的期限。",
        "waiting_on": "seller",
        "met_by_filing_types": ["counter_notice"],
        "source": "电子商务法 Art 42, 43 (no period of its own); Alibaba IPP: counter-notice "
        "within 3 WD, the shortest known platform window",
        "secondary": True,
    },
]


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    # The platform's answer to the exit application is its decision on the refund.
    DeadlineRule.objects.filter(key="deposit.exit_review", trigger_detail="").update(
        trigger_detail="exit_applied_on", met_by_statuses=["decided"]
    )
    for rule in RULES:
        fields = {k: v for k, v in rule.items() if k != "key"}
        DeadlineRule.objects.get_or_create(key=rule["key"], defaults=fields)


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(key="deposit.exit_review").update(
        trigger_detail="", met_by_statuses=[]
    )
    DeadlineRule.objects.filter(
        key__in=[r["key"] for r in RULES], deadlines__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0005_decision_rules")]

    operations = [
        migrations.AddField(
            model_name="deadlinerule",
            name="met_by_statuses",
            field=models.JSONField(blank=True, default=list, verbose_name="met when the case enters"),
        ),
        migrations.AddField(
            model_name="deadlinerule",
            name="met_by_filing_types",
            field=models.JSONField(blank=True, default=list, verbose_name="met by a filing"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
