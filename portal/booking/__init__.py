"""Booking the first appointment within 30 jours ouvrés (CCTP 3.3): the next issue."""
