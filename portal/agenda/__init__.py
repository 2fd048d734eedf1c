"""The advisor's agenda: the week of first appointments, follow-up sessions, availability and
absences, and the iCalendar feed behind a secret URL (issue 14)."""
