"""Booking rules of the framework agreement."""

# CCTP 3.3 (L737): « Le délai entre une première demande de rendez-vous et un premier échange
# avec un conseiller ne dépasse pas trente (30) jours ouvrés. »
FIRST_APPOINTMENT_WORKING_DAYS = 30
