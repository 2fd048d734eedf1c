"""Placeholder: printing, paper signatures and the signed scan (to be written)."""
