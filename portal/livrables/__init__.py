"""Livrables, their drafts and history, and the paper signature (CCTP 2.1.2, 2.1.3)."""
