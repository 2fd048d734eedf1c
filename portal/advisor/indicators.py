"""Indicator 6.8, « ré-engagements quasi-immédiats » (to be written)."""
