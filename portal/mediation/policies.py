"""Who may open and work on a complaint on the staff side.

The operator's manager works on its complaints (acknowledges, answers, writes, closes,
records a letter), and so does the correspondant médiation the manager designated (CCTP 3.7,
`portal.mediation.contacts`), even when an advisor. The operator's other advisors may read
them: they meet the person and must be able to tell them where their complaint stands, but
the answer engages the operator. Staff of another operator, the mediator (who sees only
referred complaints, on their own screens) and France compétences get 404, never 403.
"""

from __future__ import annotations

from flask import abort

from portal.auth.policies import can_see_operator, current_staff
from portal.extensions import db
from portal.mediation.contacts import is_correspondent
from portal.mediation.models import Complaint, ComplaintAttachment
from portal.network.models import StaffMember, StaffRole


def can_read_complaint(staff: StaffMember, complaint: Complaint) -> bool:
    return can_see_operator(staff, complaint.operator_id)


def can_handle_complaint(staff: StaffMember, complaint: Complaint) -> bool:
    if not can_read_complaint(staff, complaint):
        return False
    return staff.role == StaffRole.MANAGER or is_correspondent(
        db.session, staff, complaint.operator_id
    )


def complaint_or_404(complaint_id: int, *, handle: bool = False) -> Complaint:
    complaint = db.session.get(Complaint, complaint_id)
    allowed = can_handle_complaint if handle else can_read_complaint
    if complaint is None or not allowed(current_staff(), complaint):
        abort(404)
    return complaint


def attachment_or_404(complaint_id: int, attachment_id: int) -> ComplaintAttachment:
    complaint = complaint_or_404(complaint_id)
    attachment = db.session.get(ComplaintAttachment, attachment_id)
    if attachment is None or attachment.complaint_id != complaint.id:
        abort(404)
    return attachment


__all__ = [
    "attachment_or_404",
    "can_handle_complaint",
    "can_read_complaint",
    "complaint_or_404",
]
