"""The case: its kinds and details, the lifecycle and its audit events, the seller's pages and
the case API. The lowest domain layer: clocks, outbox, contacts, evidence and desk build on it."""
