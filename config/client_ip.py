"""The client's address, as far as we can trust it: one rule for the API throttles (DRF's
NUM_PROXIES), the login lockout (django-axes) and the password-reset limit.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as our
own proxies wrote it: with `TRUSTED_PROXY_COUNT = n`, the n-th address from the right (the one
the outermost of our proxies saw). With 0 (no proxy in front) the header is ignored and the
socket's address is the client's."""

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
