"""The clocks on a case: China's working-day calendar, the rules (data), due dates, the triggers
that start, pause and settle clocks, the minute sweep, recomputation, the clock panel and API.

Where a rule such as 12315's seven working days is and how it is counted: the row is in the
rules table (admin: Deadline rules; shipped by cases/migrations/0006_deadline_rules.py, from
before this app), listed with its source in docs/deadline-rules.md (`manage.py
deadline_rules_doc` writes it from the table); it is started by services.py, counted by
calendar.py and swept by sweep.py."""
