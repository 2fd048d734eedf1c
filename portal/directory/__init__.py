"""The regional directory of complementary services (CCTP 2.1.3, CCAP 19.3.4)."""
