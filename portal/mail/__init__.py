"""E-mail through a transactional outbox: enqueue in the transaction, send from a job."""
