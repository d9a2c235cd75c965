"""Reminders, channels and circulars arrive with the cadence and circular issues."""
