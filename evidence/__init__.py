"""Evidence uploads: validation, hashing, storage, bundles (built in a later issue)."""
