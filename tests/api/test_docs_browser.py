"""/api/docs/ in a real Chromium: Swagger UI loads offline from /static/ under the site's
strict Content-Security-Policy, without a single violation."""

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_offline_without_csp_violations(
    live_server, transactional_db, page, settings
):
    docs_server = live_server
    settings.ALLOWED_HOSTS = ["localhost"]
    console_errors, outside, static = [], [], []
    page.add_init_script(
        """window.__csp = [];
        document.addEventListener("securitypolicyviolation", (e) =>
            window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));"""
    )
    page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))

    def sort_request(request):
        if request.url.startswith(f"{docs_server.url}/static/"):
            static.append(request.url)
        elif not request.url.startswith(f"{docs_server.url}/api/"):
            outside.append(request.url)

    page.on("request", sort_request)

    response = page.goto(f"{docs_server.url}/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    assert page.locator("text=/api/v1/cases/{reference}/transitions/").count() >= 1

    violations = page.evaluate("window.__csp")
    assert violations == []
    assert console_errors == []
    assert outside == []  # no CDN, nothing fetched from elsewhere
    assert any(url.endswith("/swagger-ui-bundle.js") for url in static)
    assert any(url.endswith("/swagger-ui.css") for url in static)
