"""Signing livrables, on paper or online, with one evidence trail (issue 11).

- `models.py`: the append-only `signature_event` rows, the head of each version's chain
  (`signature_chain`) and the sealed PDF (`sealed_document`).
- `evidence.py`: `record_event` (hash-chained, one chain per livrable version) and
  `verify_chain`.
- `certificates.py`, `certificate_page.py`, `seal.py`: the « certificat de preuve » and the
  PAdES seal with the operator's certificate (pyHanko).
- `verify.py`: what a copy someone hands in is (intact, altered, unknown, not a PDF).
- `subscribers.py`, `views.py`, `cli.py`: the web and command-line edges.

The core (models, evidence, seal, verify) takes a SQLAlchemy `Session`, flushes, never
commits, and imports no Flask.
"""
