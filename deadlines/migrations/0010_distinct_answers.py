"""Issue 13: a regulator's acceptance, refusal and end of mediation are distinct, and the
consumer's refund after a return starts when the merchant received the goods.

- samr.mediation_max starts on 12315's acceptance (受理, filing type `accepted`), no longer on
  any decision received from 12315: a refusal (不予受理) starts nothing, and the end of
  mediation (调解终结) meets the clock without starting another (市场监督管理投诉举报处理暂行
  办法 第十四、二十一条).
- consumer.refund_after_return (消费者权益保护法 第二十五条: the merchant refunds within seven
  days of receiving the returned goods) starts from the contact `return_received` or the
  details' "merchant received your return on", never from a reply (a regulator's included);
  it waits on the merchant, so the platform asking for information does not pause it.

Where staff changed a rule's trigger, theirs is kept."""

from django.db import migrations


def forwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(
        key="samr.mediation_max", trigger_filing_type="decision_received"
    ).update(trigger_filing_type="accepted")
    DeadlineRule.objects.filter(
        key="consumer.refund_after_return", trigger_filing_type="response_received"
    ).update(
        trigger_filing_type="return_received",
        trigger_detail="return_received_on",
        waiting_on="merchant",
        name="Merchant refunds after receiving your return",
        name_zh="商家收到退货后退款",
    )


def backwards(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    DeadlineRule.objects.filter(key="samr.mediation_max", trigger_filing_type="accepted").update(
        trigger_filing_type="decision_received"
    )
    DeadlineRule.objects.filter(
        key="consumer.refund_after_return", trigger_filing_type="return_received"
    ).update(trigger_filing_type="response_received", trigger_detail="", waiting_on="platform")


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0009_waiting_on_merchant")]

    operations = [migrations.RunPython(forwards, backwards)]
