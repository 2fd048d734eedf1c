"""The advisor workspace: UO1, UO2.1 and UO2.2, livrables and signatures (CCTP 2.1)."""
