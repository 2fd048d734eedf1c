"""The staff navigation: one entry per screen, shown to the roles that may open it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.network.models import StaffRole

ADVISOR = (StaffRole.ADVISOR,)
MANAGER = (StaffRole.MANAGER,)
OPERATOR_STAFF = (StaffRole.ADVISOR, StaffRole.MANAGER)
# The chargé d'information: UO0 and the waiting requests of their operator, nothing more.
INFORMATION = (StaffRole.INFORMATION,)
MEDIATOR = (StaffRole.MEDIATOR,)
# The mediator and France compétences: every lot, aggregated figures only.
NATIONAL = (StaffRole.MEDIATOR, StaffRole.FRANCE_COMPETENCES)

STAFF_NAV = (
    ("manage.home", _l("Accueil"), (*OPERATOR_STAFF, *INFORMATION, *NATIONAL)),
    ("manage.uo0_new", _l("Enregistrer un contact (UO0)"), (*INFORMATION, *ADVISOR)),
    ("advisor.home", _l("Mes dossiers"), ADVISOR),
    ("agenda.week", _l("Agenda"), OPERATOR_STAFF),
    ("agenda.feed_page", _l("Agenda dans mon calendrier"), ADVISOR),
    ("manage.waiting", _l("Demandes en attente"), (*OPERATOR_STAFF, *INFORMATION)),
    ("mediation_staff.queue", _l("Réclamations"), OPERATOR_STAFF),
    ("manage.sites", _l("Sites et horaires"), MANAGER),
    ("manage.availability", _l("Disponibilités des conseillers"), MANAGER),
    ("advisor.video_setting", _l("Visioconférence"), MANAGER),
    ("steering_lot.lot", _l("Indicateurs du lot"), MANAGER),
    ("manage.delays", _l("Délai du premier rendez-vous"), MANAGER),
    ("satisfaction.indicator", _l("Satisfaction et réengagements"), MANAGER),
    ("reporting.complaints_indicator", _l("Réclamations et médiateur (8.7)"), MANAGER),
    ("livrables.directory", _l("Annuaire des prestataires"), OPERATOR_STAFF),
    ("advisor.purchase_orders", _l("Bons de commande"), MANAGER),
    ("manage.failed_mail", _l("Envois en échec"), MANAGER),
    ("manage.privacy", _l("Données personnelles"), MANAGER),
    # The mediator of France compétences (CCTP 3.7): every lot, only what was referred.
    ("mediator.queue", _l("Saisines"), MEDIATOR),
    ("mediator.record", _l("Enregistrer une saisine"), MEDIATOR),
    ("steering.national", _l("Pilotage national"), NATIONAL),
    ("reporting.mediation", _l("Rapport annuel du médiateur"), NATIONAL),
    ("reporting.national_complaints", _l("Réclamations, tous les lots (8.7)"), NATIONAL),
)

# A screen reached from a menu entry rather than the menu itself, marked with its entry
# (aria-current="true": the current section, not the current page).
STAFF_NAV_SECTIONS = {
    "steering_lot.sites": "steering_lot.lot",
}
