"""The operators' network: lots, operators, sites, opening hours and staff."""
