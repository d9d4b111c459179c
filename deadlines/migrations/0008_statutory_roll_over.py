"""Issue 13: periods set by law roll over a rest day (民法典 第二百零三条), and every rule says why
it does or does not.

民法典 第二百零三条: when the last day of a period is a statutory holiday, the day after the
holiday is the last day. 第二百零四条: periods are counted by these rules unless a law provides
otherwise or the parties agree otherwise. So a period in days, months or years set by
消费者权益保护法, 电子商务法, 仲裁法, 法律援助法 or 民法典 itself rolls over (none of those laws
provides another counting), while a period a platform sets in its own rules is the platform's
agreement with the seller and ends where the platform says. Six statutory rules shipped
without the roll-over; court.filing_decision and court.appeal already had it.

A rule staff already gave a reason keeps theirs; the roll-over is switched on only where it is
still as shipped (off)."""

from django.db import migrations

STATUTE = (
    "A period set by law in days, months or years: when its last day is a statutory holiday "
    "or rest day, it ends on the next working day (民法典 第二百零三条; the law that sets it "
    "provides no other counting, 第二百零四条)."
)
STATUTE_ZH = (
    "法律规定的以日、月、年计算的期间，最后一日是法定休假日的，以法定休假日结束的次日为期间的"
    "最后一日（《民法典》第二百零三条；规定该期间的法律未另作规定，第二百零四条）。"
)
COURT = (
    "A procedural period: when its last day is a statutory holiday, it ends on the day after "
    "the holiday (民事诉讼法 第八十五条)."
)
COURT_ZH = "诉讼期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期（《民事诉讼法》第八十五条）。"
PLATFORM = (
    "A period a platform sets in its own rules is its agreement with the seller, not a "
    "period set by law: it ends on its last day even on a rest day (民法典 第二百零四条: "
    "otherwise agreed)."
)
PLATFORM_ZH = "平台规则自定的期限属平台与商家之间的约定，不是法定期间：最后一日即使是休息日也不顺延（《民法典》第二百零四条：另有约定的除外）。"
WORKING = "Counted in working days: it always ends on a working day, so nothing rolls over."
WORKING_ZH = "按工作日计算，期限总是在工作日届满，不存在顺延。"
HOURS = (
    "Counted in hours from the exact moment (民法典 第二百零一条第二款): the roll-over of "
    "第二百零三条 is for periods in days, months and years."
)
HOURS_ZH = "按小时计算，自事件发生时起算（《民法典》第二百零一条第二款）；第二百零三条的顺延只适用于以日、月、年计算的期间。"
FOLLOW_UP = "A date you set yourself, not a period: it ends on that date."
FOLLOW_UP_ZH = "你自己设定的日期，不是法定期间：在该日届满。"

ROLL_OVER = [
    "consumer.no_reason_return",
    "consumer.refund_after_return",
    "ecom.counter_notice_wait",
    "arbitration.accept",
    "legal_aid.decision",
    "civil.limitation",
]
REASONS = {
    **dict.fromkeys(ROLL_OVER, (STATUTE, STATUTE_ZH)),
    "court.filing_decision": (COURT, COURT_ZH),
    "court.appeal": (COURT, COURT_ZH),
    **dict.fromkeys(
        [
            "appeal.window",
            "appeal.window.tiktok_shop",
            "appeal.window.ban",
            "appeal.window.ban.tiktok_shop",
            "appeal.window.removal",
            "appeal.window.removal.tiktok_shop",
        ],
        (PLATFORM, PLATFORM_ZH),
    ),
    **dict.fromkeys(
        [
            "platform.first_response.urgent",
            "seller.reply",
        ],
        (HOURS, HOURS_ZH),
    ),
    "follow_up": (FOLLOW_UP, FOLLOW_UP_ZH),
}


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(key__in=ROLL_OVER, roll_over=False).update(roll_over=True)
    for rule in DeadlineRule.objects.filter(roll_over_reason=""):
        reason = REASONS.get(rule.key)
        if reason is None and rule.unit == "working_days":
            reason = (WORKING, WORKING_ZH)
        if reason is not None:
            rule.roll_over_reason, rule.roll_over_reason_zh = reason
            rule.save(update_fields=["roll_over_reason", "roll_over_reason_zh"])


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(key__in=ROLL_OVER).update(roll_over=False)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0007_deadline_rolled_from")]

    operations = [migrations.RunPython(forwards, backwards)]
