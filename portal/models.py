"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from portal.network.models import OpeningHours, Operator, Site, StaffMember, advisor_site
from portal.orientation.models import OrientationContact

__all__ = ["OpeningHours", "Operator", "OrientationContact", "Site", "StaffMember", "advisor_site"]
