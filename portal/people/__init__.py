"""The people the portal serves, apart from how they book (layout-next): the person
(`models.Beneficiary`, their identity) and the Annex 2 profile of their dossier (issue 15 §1) —
its table, reference lists, « due from UO n » rules, commune resolution and the service that
saves it. No Flask here; the profile's page is the advisor's
(`portal/advisor/views/profile.py`)."""
