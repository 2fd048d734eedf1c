"""Stub: filled in by the staff-side work."""

from portal.manage import bp  # noqa: F401
