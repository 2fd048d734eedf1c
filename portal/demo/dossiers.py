"""Demo dossiers: the first two advisors of the demo operators of lots 16 and 1 each follow
about ten people, in every state an advisor meets, relative to `today`: a dossier still to
engage, a UO1 just engaged, a UO1 past 80 % of its delay, a UO1 over its deadline, UO2.1
open or close to its end, a UO2.2 after a signed UO2.1, a UO2.2 closed on written request,
and a re-engagement within three months of an abandon (indicator 6.8). Every dossier has an
Annex 2 profile (`portal.demo.profiles`), complete but for the UO1 just engaged.

Engagements, interactions and Annex 2 data go through the core (`engage_unit`: numbers
and purchase orders); past closures are written directly, with the columns and date rules
of `close_unit` and `close_expired_units`, so that loading the demo queues no survey e-mail.
Deterministic: no randomness, every date derived from `today`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.advisor import reference_data as ref
from portal.advisor.models import ClosureKind, ConsentMode, Dossier, Unit, UnitKind, UnitStatus
from portal.advisor.rules import deadline_view, unit_deadline
from portal.advisor.unit_work import record_interaction, update_unit_data
from portal.advisor.units import (
    Consent,
    EntryData,
    engage_unit,
    open_dossier,
)
from portal.demo.names import FIRST_NAMES, LAST_NAMES
from portal.demo.profiles import add_demo_profile
from portal.network.models import Operator, StaffMember
from portal.people.models import Beneficiary

DEMO_LOTS = ("16", "01")
ADVISORS_PER_LOT = 2
ENTRIES = (
    EntryData("individuelle", "projet", "changer_metier"),
    EntryData("entreprise", "competences", "se_former"),
    EntryData("internet", "faire_le_point", "situation"),
    EntryData("france_travail", "projet", "creer_entreprise"),
    EntryData("bouche_a_oreille", "competences", "vae"),
)
CONTACT_MODES = ("presentiel", "telephone", "visio", "presentiel", "email")
UO2_DATA = {
    "types_service": ["investigation_metiers", "parcours_formation"],
    "prestations": ["formation"],
    "auto_prescription": False,
    "financements": ["cpf"],
    "decouvertes": ["enquete_metier"],
}
WRITTEN_REQUEST = "Bonjour, mon projet est lancé : je souhaite clôturer mon accompagnement. Merci !"
UO22_DATA = {
    "description_service": "Suivi de l'entrée en formation et du dossier de financement.",
    "etat_projet": "reconversion_realisee",
}


class _Advisor:
    """One demo advisor's caseload being built."""

    def __init__(self, session: Session, advisor: StaffMember, serial: int, today: date):
        self.session, self.advisor, self.serial, self.today = session, advisor, serial, today
        self.people = 0
        self.dossiers = 0

    def person(self) -> Beneficiary:
        self.people += 1
        n = self.serial * 100 + self.people
        first = FIRST_NAMES[(n * 5) % len(FIRST_NAMES)]
        last = LAST_NAMES[(n * 11) % len(LAST_NAMES)]
        person = Beneficiary(
            first_name=first,
            last_name=last,
            email=f"personne{n:04d}@beneficiaires.cep-demo.example",
            phone=f"+331990{n:05d}",  # ARCEP's fiction range, 01 99 00 xx xx
            birth_date=date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
            consent_at=datetime.combine(self.today - timedelta(days=400), time(9), UTC),
            consent_version="demo",
        )
        self.session.add(person)
        return person

    def dossier(
        self, days_ago: int, who: Beneficiary | None = None, *, profile: bool = True
    ) -> Dossier:
        """A dossier opened `days_ago`, its Annex 2 profile complete unless `profile` is
        False (then it holds the status only: the print gate can be seen)."""
        self.dossiers += 1
        assert self.advisor.operator_id is not None
        site = self.advisor.sites[0] if self.advisor.sites else None
        dossier = open_dossier(
            self.session,
            beneficiary=who or self.person(),
            operator_id=self.advisor.operator_id,
            advisor=self.advisor,
            opened_on=self.today - timedelta(days=days_ago),
            site_id=site.id if site else None,
        )
        add_demo_profile(self.session, dossier, site, self.serial + self.dossiers, complete=profile)
        return dossier

    def engage(self, dossier: Dossier, kind: UnitKind, days_ago: int) -> Unit:
        on = self.today - timedelta(days=days_ago)
        n = self.people + self.serial
        unit = engage_unit(
            self.session,
            dossier,
            kind,
            engaged_on=on,
            consent=Consent(on, ConsentMode.ORAL if n % 3 else ConsentMode.EMAIL),
            entry=ENTRIES[n % len(ENTRIES)],
            by=self.advisor,
            today=self.today,
        )
        record_interaction(
            self.session,
            unit,
            occurred_on=on,
            contact_mode=CONTACT_MODES[n % len(CONTACT_MODES)],
            duration_minutes=60 + 15 * (n % 3),
            by=self.advisor,
            today=self.today,
            service_type="information" if kind != UnitKind.UO1 else None,
        )
        return unit

    def complete(self, unit: Unit) -> None:
        """The Annex 2 data a UO2 needs before it closes."""
        values: dict[str, object] = dict(UO2_DATA)
        if unit.kind == UnitKind.UO22:
            values.update(UO22_DATA)
        update_unit_data(self.session, unit, values)

    def close(self, unit: Unit, kind: ClosureKind, days_ago: int, trace: str | None = None) -> None:
        """History: the closure the signing screens (or the person's written request) would
        have recorded that day, written directly so that loading the demo invites nobody to
        a survey. The same columns, the same date rules as `close_unit`."""
        if unit.kind != UnitKind.UO1:
            self.complete(unit)
        closed_on = self.today - timedelta(days=days_ago)
        assert unit.engaged_on <= closed_on <= min(unit.deadline, self.today)
        unit.status, unit.closure_kind, unit.closed_on = UnitStatus.CLOSED, kind, closed_on
        unit.motif_cloture = "poursuite" if unit.kind == UnitKind.UO1 else "objectif_atteint"
        unit.closed_by_id, unit.closure_trace = self.advisor.id, trace
        self.session.flush()


def _days_ago_at(kind: UnitKind, today: date, ratio: float) -> int:
    """How long ago a unit engaged has used `ratio` of its delay today."""
    for days in range(0, 600):
        engaged_on = today - timedelta(days=days)
        view = deadline_view(engaged_on, unit_deadline(kind, engaged_on), today)
        if view.elapsed_ratio >= ratio:
            return days
    raise AssertionError("unreachable")


def _abandon(unit: Unit) -> None:
    """What `close_expired_units` records at the end of the delay."""
    unit.status, unit.closure_kind = UnitStatus.CLOSED, ClosureKind.ABANDON
    unit.closed_on, unit.motif_cloture = unit.deadline, ref.ABANDON


def _caseload(a: _Advisor) -> None:
    today, shift = a.today, a.serial % 3
    a.dossier(0)  # first appointment held today: a unit to engage
    # UO1 just engaged, its profile still to fill in (the dossier lists what is missing)
    a.engage(a.dossier(shift, profile=False), UnitKind.UO1, shift)
    warned = _days_ago_at(UnitKind.UO1, today, 0.85)  # UO1 at 85 % of its delay
    a.engage(a.dossier(warned), UnitKind.UO1, warned)
    overdue = _days_ago_at(UnitKind.UO1, today, 1.03)  # over its deadline: abandon tonight
    a.engage(a.dossier(overdue), UnitKind.UO1, overdue)
    a.engage(a.dossier(30 + shift), UnitKind.UO21, 30 + shift)  # UO2.1 directly
    late = _days_ago_at(UnitKind.UO21, today, 0.9)
    a.engage(a.dossier(late), UnitKind.UO21, late)  # UO2.1 at 90 %
    chain = a.dossier(70)  # UO1 signed, then UO2.1
    a.close(a.engage(chain, UnitKind.UO1, 70), ClosureKind.SIGNED, 40)
    a.engage(chain, UnitKind.UO21, 35 - shift)
    chain = a.dossier(200)  # UO2.1 signed, then UO2.2 open
    a.close(a.engage(chain, UnitKind.UO21, 200), ClosureKind.SIGNED, 100)
    a.engage(chain, UnitKind.UO22, 95)
    chain = a.dossier(300)  # UO2.2 closed on the person's written request
    a.close(a.engage(chain, UnitKind.UO21, 300), ClosureKind.SIGNED, 150)
    a.close(a.engage(chain, UnitKind.UO22, 140), ClosureKind.REQUESTED, 20, WRITTEN_REQUEST)
    back = a.person()  # an abandon, then the same person back within three months (6.8)
    _abandon(a.engage(a.dossier(100, back), UnitKind.UO1, 100))
    a.session.flush()
    a.engage(a.dossier(12, back), UnitKind.UO1, 12)


def add_demo_dossiers(session: Session, today: date) -> int:
    """About ten dossiers for each of the first two advisors of lots 16 and 1."""
    total = 0
    for code in DEMO_LOTS:
        operator = session.scalar(select(Operator).where(Operator.code == code))
        if operator is None:
            continue
        domain = f"lot{operator.lot_number:02d}.cep-demo.example"
        for serial in range(1, ADVISORS_PER_LOT + 1):
            advisor = session.scalar(
                select(StaffMember).where(StaffMember.email == f"conseiller{serial}@{domain}")
            )
            if advisor is None:
                continue
            caseload = _Advisor(session, advisor, operator.lot_number * 10 + serial, today)
            _caseload(caseload)
            total += caseload.dossiers
    session.flush()
    return total
