"""The quality and usefulness survey at each closure, and indicator 8.1 (CCTP 4.1)."""
