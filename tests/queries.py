"""Query budgets shared by the tests that pin exact counts."""

from django.conf import settings

# Reading the session costs a query with the database backend and none with cached_db (a
# Redis cache configured, as in CI and production), once the login has written it there.
SESSION = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
