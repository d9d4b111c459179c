"""The conversation on the case page: post a message or, for staff, an internal note. The
thread itself is drawn by the case page (`conversations_tags.conversation`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.forms import add_domain_error
from cases.selectors import case_get_for
from cases.views import render_case_page
from config.errors import DomainError
from conversations.forms import REJECTED_FORM_ATTRIBUTE, MessageForm
from conversations.services import message_post


@login_required
@require_POST
def message_post_view(request, reference):
    case = case_get_for(actor=request.user, reference=reference)
    form = MessageForm(request.POST, staff=request.user.is_support_staff)
    if form.is_valid():
        try:
            message = message_post(
                actor=request.user,
                case=case,
                body=form.cleaned_data["body"],
                internal=form.internal,
            )
        except DomainError as error:
            if not add_domain_error(form, error):
                form.add_error(None, error.message)
        else:
            if message.internal:
                messages.success(request, _("Internal note saved. The seller cannot see it."))
            else:
                messages.success(request, _("Message sent."))
            return redirect(f"{case.get_absolute_url()}#conversation")
    setattr(request, REJECTED_FORM_ATTRIBUTE, form)
    messages.error(request, _("Your message was not sent. See the conversation below."))
    return render_case_page(request, case, status=400)
