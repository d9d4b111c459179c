"""The outbox: who is told of what change, the in-app rows that are also the e-mail queue, their
delivery and preferences, the notifications page and its API."""
