"""Quality (CCTP 4.3, 8.x), computed per lot; 8.2 and 8.4 per site too (8.6 is in
`journeys`, from the same closed units):

- 8.1: among the surveys answered about the units closed in the period, the share that found
  the service both of quality and useful (`POSITIVE_FROM` and above on both questions).
- 8.2: among the UO2 closed in the period, the share that mobilised each type of service
  (reference list « type_service »): one figure per type.
- 8.4: the mean delay, in working days of the request's territory (the request's day not
  counted), from a request made in the period to its first live appointment; category
  `WITHIN_30`: the share within the 30 working days of CCTP 3.3. Per site: the first
  appointment's site (remote appointments count in the lot's figure only). Requests
  without an appointment yet are left out. `booking.indicators` does the counting.
- 8.7: among the complaints received in the period, the share followed by a referral to the
  mediator (`reporting.complaints` reads the same counts for the mediator's pages).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from portal.advisor.models import Dossier, ReferenceItem, Unit
from portal.advisor.reference_data import TYPE_SERVICE
from portal.booking import indicators as delays
from portal.booking.models import LIVE_STATUSES, Appointment, AppointmentRequest
from portal.booking.rules import FIRST_APPOINTMENT_WORKING_DAYS
from portal.mediation.models import Complaint, Referral
from portal.network.territory import LOT_BY_NUMBER
from portal.reporting.indicators.definitions import WITHIN_30
from portal.reporting.indicators.figures import Figure, figure
from portal.reporting.indicators.periods import month_number, span
from portal.reporting.indicators.sources import UO2, Monthly, Sources, range_
from portal.satisfaction.models import Survey

NUMBERS = ("8.1", "8.2", "8.4", "8.7")
# CCAP 15.3 and 16.2 (quoted by the evaluation, Sauléa L759): the quality bonus is due for
# the semester « dès lors que 80 % des bénéficiaires répondants estiment que le service rendu
# a été utile et de qualité ».
QUALITY_BONUS_THRESHOLD = 0.8
# « Plutôt satisfait » / « plutôt utile » and above (answers go from 1 to 4).
POSITIVE_FROM = 3


def survey_counts(session: Session, operator_ids: Sequence[int], start: date, end: date) -> Monthly:
    """Surveys of the units closed in [start, end): key (operator,), month of the closure;
    (sent, answered, positive). One statement."""
    answered = Survey.answered_at.is_not(None)
    positive = and_(answered, Survey.quality >= POSITIVE_FROM, Survey.usefulness >= POSITIVE_FROM)
    series = Monthly()
    query = (
        select(Survey.operator_id, month_number(Survey.closed_on), func.count())
        .add_columns(func.sum(case((answered, 1), else_=0)), func.sum(case((positive, 1), else_=0)))
        .where(
            Survey.operator_id.in_(list(operator_ids)),
            Survey.closed_on >= start,
            Survey.closed_on < end,
        )
        .group_by(*range_(1, 2))
    )
    for operator_id, month, *values in session.execute(query):
        series.add((operator_id,), month, tuple(values))
    return series


def complaint_counts(
    session: Session, operator_ids: Sequence[int] | None, start: date, end: date
) -> Monthly:
    """Complaints received in [start, end): key (operator,), month of receipt; (complaints,
    followed by a referral to the mediator — admissible or not, whenever it came). All
    operators when `operator_ids` is None. One statement."""
    referred = exists().where(Referral.complaint_id == Complaint.id)
    query = (
        select(Complaint.operator_id, month_number(Complaint.received_on), func.count())
        .add_columns(func.sum(case((referred, 1), else_=0)))
        .where(Complaint.received_on >= start, Complaint.received_on < end)
        .group_by(*range_(1, 2))
    )
    if operator_ids is not None:
        query = query.where(Complaint.operator_id.in_(list(operator_ids)))
    series = Monthly()
    for operator_id, month, *values in session.execute(query):
        series.add((operator_id,), month, tuple(values))
    return series


def _service_types(sources: Sources, start: date, end: date) -> Monthly:
    """Closed UO2 per type of service: key (operator, site, code), month. One statement."""
    context = sources.context
    site = Dossier.site_id if context.by_site else cast(literal_column("NULL"), Integer)
    mentions = cast(Unit.types_service, String).like(literal('%"') + ReferenceItem.code + '"%')
    query = (
        select(
            Unit.operator_id, site, ReferenceItem.code, month_number(Unit.closed_on), func.count()
        )
        .join(Dossier, Dossier.id == Unit.dossier_id)
        .join(ReferenceItem, and_(ReferenceItem.list_name == TYPE_SERVICE, mentions))
        .where(
            Unit.operator_id.in_(context.operator_ids),
            Unit.kind.in_(UO2),
            Unit.closed_on >= start,
            Unit.closed_on < end,
        )
        .group_by(*range_(1, 4))
    )
    series = Monthly()
    for operator_id, site_id, code, month, count in context.session.execute(query):
        for place in {site_id, None}:
            series.add((operator_id, place, code), month, (count,))
    return series


def request_rows(
    session: Session, operators: Mapping[int, int], start: date, end: date
) -> list[tuple[int, delays.RequestRow]]:
    """(operator, request with its first live appointment or None) of the requests the
    operators (id → lot number, whose timezone gives the appointment's day) received in
    [start, end). Two statements; the operators' delays page reads the same rows."""
    in_span = and_(
        AppointmentRequest.operator_id.in_(list(operators)),
        AppointmentRequest.requested_on >= start,
        AppointmentRequest.requested_on < end,
    )
    by_operator: dict[int, list[delays.AppointmentRow]] = defaultdict(list)
    for operator_id, request_id, starts_at, status, modality, site_id in session.execute(
        select(
            AppointmentRequest.operator_id,
            AppointmentRequest.id,
            Appointment.starts_at,
            Appointment.status,
            Appointment.modality,
            Appointment.site_id,
        )
        .join(AppointmentRequest, AppointmentRequest.id == Appointment.request_id)
        .where(in_span, Appointment.status.in_(LIVE_STATUSES))
    ):
        row = delays.AppointmentRow(request_id, starts_at, status, modality, site_id)
        by_operator[operator_id].append(row)
    first: dict[int, delays.FirstAppointment] = {}
    for operator_id, rows in by_operator.items():
        zone = ZoneInfo(LOT_BY_NUMBER[operators[operator_id]].timezone)
        first.update(delays.first_appointments(rows, zone))
    return [
        (operator_id, delays.RequestRow(id_, on, territory, deadline, status, first.get(id_)))
        for id_, operator_id, on, territory, deadline, status in session.execute(
            select(
                AppointmentRequest.id,
                AppointmentRequest.operator_id,
                AppointmentRequest.requested_on,
                AppointmentRequest.territory,
                AppointmentRequest.deadline,
                AppointmentRequest.status,
            ).where(in_span)
        )
    ]


def _delays(sources: Sources, start: date, end: date) -> Monthly:
    """(operator, place) → (requests with a first appointment, working days, within 30)."""
    series = Monthly()
    for operator_id, row in request_rows(
        sources.context.session, sources.context.operators, start, end
    ):
        if row.first is None:
            continue
        territory = delays.territory_of(row.territory)
        days = delays.working_day_delay(row.requested_on, row.first.day, territory)
        within = 1 if days <= FIRST_APPOINTMENT_WORKING_DAYS else 0
        month = row.requested_on.year * 100 + row.requested_on.month
        for place in {row.first.site_id, None}:
            series.add((operator_id, place), month, (1, days, within))
    return series


def figures(sources: Sources) -> Iterator[Figure]:
    context, wanted = sources.context, sources.numbers
    start, end = span(context.periods)
    surveys = (
        survey_counts(context.session, context.operator_ids, start, end)
        if "8.1" in wanted
        else Monthly()
    )
    complaints = (
        complaint_counts(context.session, context.operator_ids, start, end)
        if "8.7" in wanted
        else Monthly()
    )
    types = _service_types(sources, start, end) if "8.2" in wanted else Monthly()
    codes = sorted({key[2] for key in types.rows})
    closed_uo2 = Monthly()
    if "8.2" in wanted:
        for (operator_id, site_id, kind, _closure, _year), months in sources.closed().rows.items():
            if kind in UO2:
                for month, values in months.items():
                    for place in {site_id, None}:
                        closed_uo2.add((operator_id, place), month, (values[0],))
    delay_rows = _delays(sources, start, end) if "8.4" in wanted else Monthly()
    for period in context.periods:
        for operator_id in context.operators:
            lot = (operator_id, None)
            if "8.1" in wanted:
                yield surveys.ratio("8.1", period, lot, (operator_id,), (2, 1))
            if "8.7" in wanted:
                yield complaints.ratio("8.7", period, lot, (operator_id,), (1, 0))
            for site_id in [None, *context.sites.get(operator_id, [])]:
                place = (operator_id, site_id)
                if "8.2" in wanted:
                    closed = closed_uo2.over(place, period)
                    for code in codes:
                        mobilised = types.over((operator_id, site_id, code), period)
                        yield figure("8.2", period, operator_id, site_id, mobilised, closed, code)
                if "8.4" in wanted:
                    yield delay_rows.ratio("8.4", period, place, place, (1, 0))
                    yield delay_rows.ratio("8.4", period, place, place, (2, 0), WITHIN_30)
