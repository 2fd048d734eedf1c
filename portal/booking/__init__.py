"""Booking the first appointment within 30 jours ouvrés (CCTP 3.3): availability, slots,
the search, the booking itself and its e-mails; the public pages are in `views/`."""
