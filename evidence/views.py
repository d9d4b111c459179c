"""Evidence on the case page: upload (plain form or one XHR per file), download, thumbnail,
edit, remove (the bundle is the `bundles` app). Thin: forms parse, selectors find (404 alike
for missing and not yours), services judge and write, `evidence.http` is the only way a file
leaves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from cases.forms import add_domain_error
from cases.selectors import case_get_for
from cases.views import render_case_page
from config.errors import ConflictError, DomainError
from evidence.files import clean_name
from evidence.forms import EvidenceEditForm, EvidenceRemoveForm, EvidenceUploadForm
from evidence.http import evidence_file_response
from evidence.selectors import (
    evidence_checklist,
    evidence_for_case,
    evidence_get_for,
    latest_integrity_check,
)
from evidence.services import evidence_attach, evidence_remove, evidence_update


def _from_script(request) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _wants_json(request) -> bool:
    """The upload script (and any client asking for JSON) gets JSON; a browser's own form post
    prefers HTML."""
    return (
        _from_script(request)
        or request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    )


def _evidence_url(case) -> str:
    return f"{case.get_absolute_url()}#evidence"


def _item_json(item) -> dict:
    return {
        "id": str(item.pk),
        "name": item.original_name,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "description": item.description,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
        "download_url": reverse(
            "evidence:download",
            kwargs={"reference": item.case.reference, "evidence_id": item.pk},
        ),
    }


def _error_json(error: DomainError) -> JsonResponse:
    body = {"detail": str(error.message), "code": error.code, **error.extra}
    if error.field:
        body["field"] = error.field
    return JsonResponse(body, status=error.status)


def _batch_status(refused: list[dict]) -> int:
    """All refused for one reason: its status (413, 415…); for mixed reasons, 400."""
    statuses = {entry["status"] for entry in refused}
    return statuses.pop() if len(statuses) == 1 else 400


def dashboard_context(request, case, context: dict) -> dict:
    """The home page's part (cases.hooks.PAGES): staff see a banner while the latest integrity
    check found problems."""
    return {"integrity_check": latest_integrity_check() if request.user.is_support_staff else None}


def case_page_context(request, case, context: dict) -> dict:
    """The case page's part (cases.hooks.PAGES): the files, the checklist and the upload form
    (unless a refused upload is being redisplayed)."""
    evidence = list(evidence_for_case(actor=request.user, case=case))
    return {
        "evidence": evidence,
        "checklist": evidence_checklist(case=case, items=evidence),
        "upload_form": EvidenceUploadForm(),
    }


@login_required
@require_POST
def evidence_upload(request, reference):
    """Keep each posted file through `evidence_attach`. One refused file never loses the
    others: the plain form reports per file what was kept and what was refused, and why."""
    case = case_get_for(actor=request.user, reference=reference)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if _wants_json(request):
            field, errors = next(iter(form.errors.items()))
            return JsonResponse(
                {
                    "detail": errors[0],
                    "code": "invalid",
                    "field": field,
                    "errors": {name: list(messages) for name, messages in form.errors.items()},
                },
                status=400,
            )
        return render_case_page(request, case, upload_form=form, status=400)

    files = form.cleaned_data["file"]
    if _wants_json(request):
        return _upload_one_as_json(request, case, form, files)

    kept, refused = [], []
    for upload in files:
        try:
            kept.append(_attach(request, case, form, upload))
        except DomainError as error:
            refused.append(
                # Shown as it would have been kept: no path, control or bidi characters.
                {"name": clean_name(upload.name), "message": error.message, "status": error.status}
            )

    if kept:
        messages.success(
            request,
            ngettext(
                "Kept %(count)d file: %(names)s.",
                "Kept %(count)d files: %(names)s.",
                len(kept),
            )
            % {
                "count": len(kept),
                "names": pgettext("between file names", ", ").join(
                    item.original_name for item in kept
                ),
            },
        )
    if not refused:
        return redirect(_evidence_url(case))
    if kept:
        # Post/redirect/get: what was kept must not be uploaded twice by a reload. To the top
        # of the page, where the messages say what was refused (an explicit fragment, or the
        # browser would keep the form's #evidence-upload).
        for entry in refused:
            messages.error(
                request,
                _("Not kept: %(name)s. %(reason)s")
                % {"name": entry["name"], "reason": entry["message"]},
            )
        return redirect(f"{case.get_absolute_url()}#main")
    return render_case_page(
        request,
        case,
        upload_form=form,
        upload_refused=refused,
        status=_batch_status(refused),
    )


def _attach(request, case, form, upload):
    return evidence_attach(
        actor=request.user,
        case=case,
        upload=upload,
        kind=form.cleaned_data["kind"],
        description=form.cleaned_data["description"],
    )


def _upload_one_as_json(request, case, form, files) -> JsonResponse:
    """The script sends one file per request, so each has its own progress and its own answer."""
    if len(files) != 1:
        return JsonResponse(
            {"detail": _("Send one file per request."), "code": "one_file", "field": "file"},
            status=400,
        )
    try:
        item = _attach(request, case, form, files[0])
    except DomainError as error:
        return _error_json(error)
    return JsonResponse(_item_json(item), status=201)


@login_required
@require_GET
def evidence_section(request, reference):
    """The evidence list and checklist alone, for the upload script to refresh in place."""
    case = case_get_for(actor=request.user, reference=reference)
    if not _from_script(request):
        return redirect(_evidence_url(case))
    items = list(evidence_for_case(actor=request.user, case=case))
    return render(
        request,
        "evidence/_refresh.html",
        {"case": case, "evidence": items, "checklist": evidence_checklist(case=case, items=items)},
    )


@login_required
@require_GET
def evidence_download(request, reference, evidence_id):
    item = evidence_get_for(actor=request.user, reference=reference, evidence_id=evidence_id)
    try:
        return evidence_file_response(item)
    except FileNotFoundError:
        # The row is there but its file is gone: verify_evidence reports it to staff.
        raise Http404("The stored file is missing.") from None


@login_required
@require_GET
def evidence_thumbnail(request, reference, evidence_id):
    item = evidence_get_for(actor=request.user, reference=reference, evidence_id=evidence_id)
    if not item.thumbnail_name:
        raise Http404("No thumbnail (yet).")
    try:
        return evidence_file_response(item, thumbnail=True)
    except FileNotFoundError:
        raise Http404("The thumbnail is missing.") from None


def _live_item(request, reference, evidence_id):
    """An item that may still be changed; a removed one (which only staff see) cannot."""
    item = evidence_get_for(actor=request.user, reference=reference, evidence_id=evidence_id)
    if item.is_removed:
        messages.info(request, _("This evidence was removed and can no longer be changed."))
    return item


@login_required
def evidence_edit(request, reference, evidence_id):
    item = _live_item(request, reference, evidence_id)
    case = item.case
    if item.is_removed:
        return redirect(_evidence_url(case))
    status = 200
    if request.method == "POST":
        form = EvidenceEditForm(request.POST)
        if form.is_valid():
            before = (item.kind, item.description)
            try:
                item = evidence_update(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
                status = error.status
            else:
                if (item.kind, item.description) == before:
                    messages.info(request, _("Nothing to save: the evidence is as it was."))
                else:
                    messages.success(
                        request,
                        _("Saved the changes to “%(name)s”.") % {"name": item.original_name},
                    )
                return redirect(_evidence_url(case))
        else:
            status = 400
    else:
        form = EvidenceEditForm(initial={"kind": item.kind, "description": item.description})
    return render(
        request,
        "evidence/edit.html",
        {"case": case, "item": item, "form": form, "remove_form": EvidenceRemoveForm()},
        status=status,
    )


@login_required
def evidence_remove_view(request, reference, evidence_id):
    """GET asks to confirm (the page without JS); POST removes, with an optional reason."""
    item = _live_item(request, reference, evidence_id)
    if item.is_removed:
        return redirect(_evidence_url(item.case))
    status = 200
    if request.method == "POST":
        form = EvidenceRemoveForm(request.POST)
        if form.is_valid():
            try:
                evidence_remove(actor=request.user, item=item, reason=form.cleaned_data["reason"])
            except DomainError as error:
                _form_error(form, error)
                status = error.status
            else:
                messages.success(
                    request,
                    _("Removed “%(name)s” from the case. The timeline keeps a record of it.")
                    % {"name": item.original_name},
                )
                return redirect(_evidence_url(item.case))
        else:
            status = 400
    else:
        form = EvidenceRemoveForm()
    return render(
        request,
        "evidence/remove.html",
        {"case": item.case, "item": item, "remove_form": form},
        status=status,
    )


def _form_error(form, error: DomainError) -> None:
    if isinstance(error, ConflictError) or not add_domain_error(form, error):
        form.add_error(None, error.message)
