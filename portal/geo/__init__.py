"""Offline French gazetteer: communes, postal codes, regions and coordinates (stdlib only)."""

from portal.geo.gazetteer import Commune, Gazetteer, get_gazetteer, normalise

__all__ = ["Commune", "Gazetteer", "get_gazetteer", "normalise"]
