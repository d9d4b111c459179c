"""The bundle on the web: the case page's "Download bundle" link."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from bundles.bundle import bundle_response
from cases.selectors import case_get_for


@login_required
@require_GET
def bundle_download(request, reference):
    """Every current file, its manifest and a readable index, as one streamed zip."""
    case = case_get_for(actor=request.user, reference=reference)
    return bundle_response(actor=request.user, case=case)
