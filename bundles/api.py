"""The bundle through the API: `GET /api/v1/cases/{reference}/bundle/`."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema

from bundles.bundle import bundle_response
from cases.api.views import REFERENCE
from cases.selectors import case_get_for
from evidence.api import DownloadView, _binary, _errors


class CaseBundleView(DownloadView):
    @extend_schema(
        operation_id="cases_bundle",
        summary=gettext_lazy("Download the evidence bundle"),
        description=gettext_lazy(
            "One zip of the case's current evidence for a regulator, arbitrator or court: "
            "every file byte for byte, manifest.json with each file's SHA-256, "
            "manifest.json.sha256, SHA256SUMS and a readable index.html with the case "
            "summary and timeline. Streamed as it is built."
        ),
        parameters=[REFERENCE],
        responses={**_binary("application/zip", "The bundle."), **_errors(401, 404, 429)},
        tags=["evidence"],
    )
    def get(self, request, reference):
        case = case_get_for(actor=request.user, reference=reference)
        return bundle_response(actor=request.user, case=case)
