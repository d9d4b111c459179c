"""The staff desk: the urgency-ordered queue with its filters and saved views, assignment, bulk
actions, the dashboard's charts and the CSV export."""
