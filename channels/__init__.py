"""The channel log: contacts with platforms and external bodies (built in a later issue)."""
