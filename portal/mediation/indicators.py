"""Indicator 8.7 moved to `portal.reporting.complaints` (the reporting package holds every
indicator family); this name stays for branches written before the move."""

from portal.reporting.complaints import ReferralShare, referral_shares

__all__ = ["ReferralShare", "referral_shares"]
