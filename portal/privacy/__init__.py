"""RGPD: the registry of personal-data columns, export, erasure and the retention purge.

`registry` is imported by every domain's models and imports none of them; `services`,
`export` and `purge` are plain cores over a Session; `views` is the web layer.
"""
