"""Evidence: uploads checked by their content, hashed and stored unchanged, thumbnails, the
per-kind checklist and the integrity checks (the zip for third parties is `bundles`)."""
