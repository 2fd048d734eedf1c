"""UO0 « aiguillage »: who the regional operator is for, and where to go otherwise."""
