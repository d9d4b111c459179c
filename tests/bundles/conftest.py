# The bundle is built from uploaded evidence: the evidence tests' fixtures make it.
from tests.evidence.conftest import attach, upload  # noqa: F401
