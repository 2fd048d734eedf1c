"""Backups that are proven restorable (CCTP Annex 3: daily backup, recovery within 3 days).

`flask cep backup` writes a dated dump (PostgreSQL: `pg_dump` custom format, taken in an
exported snapshot; SQLite: the online backup API) with a manifest beside it: the dump's
SHA-256, the row count of every table and the head of every evidence chain, all read in the
very snapshot the dump holds. `flask cep restore-check FILE` restores the dump into a
throwaway database and compares it with the manifest and with the live source.
"""
