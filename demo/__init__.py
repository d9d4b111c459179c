"""The demo: its content as data (data/demo.toml, with the evidence files in files/) and the
loader that writes it through the services (`manage.py seed_demo`)."""
