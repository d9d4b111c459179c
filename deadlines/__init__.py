"""The clocks on a case: China's working-day calendar, the rules (data), due dates, the triggers
that start, pause and settle clocks, the minute sweep, recomputation, the clock panel and API."""
