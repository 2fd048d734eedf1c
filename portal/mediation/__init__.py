"""Complaints to the operator and referral to the mediator of France compétences (CCTP 3.7)."""
