"""Error pages and API errors, in one place (issue 10).

A person gets a page in the site's layout and in their language, saying what happened and
what to do next (the footer names the mediator, as on every page); an API client gets
`{"error": {"code": …, "message": …}}` in the language it asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from portal.csrf import SESSION_EXPIRED


@dataclass(frozen=True)
class ErrorText:
    code: str  # stable, for API clients
    title: LazyString
    explanation: LazyString
    next_step: LazyString


ERRORS: dict[int, ErrorText] = {
    400: ErrorText(
        "bad_request",
        _l("Demande incomplète"),
        _l("La demande envoyée au site est incomplète ou mal formée."),
        _l("Revenez à la page précédente, rechargez-la, puis réessayez."),
    ),
    403: ErrorText(
        "forbidden",
        _l("Accès refusé"),
        _l("Vous n'avez pas accès à cette page."),
        _l(
            "Si vous faites partie d'une équipe de conseil, connectez-vous à l'espace "
            "professionnel."
        ),
    ),
    404: ErrorText(
        "not_found",
        _l("Page introuvable"),
        _l("Cette page n'existe pas ou n'est plus disponible."),
        _l("Vérifiez l'adresse, ou repartez de l'accueil."),
    ),
    405: ErrorText(
        "method_not_allowed",
        _l("Action impossible depuis cette adresse"),
        _l("Cette adresse ne permet pas cette action."),
        _l("Revenez à la page précédente et utilisez ses boutons."),
    ),
    413: ErrorText(
        "too_large",
        _l("Envoi trop volumineux"),
        _l("Le fichier ou le formulaire envoyé dépasse la taille autorisée."),
        _l("Revenez à la page précédente et envoyez un fichier plus petit."),
    ),
    429: ErrorText(
        "too_many_requests",
        _l("Trop de demandes"),
        _l("Le site a reçu trop de demandes de votre part en peu de temps."),
        _l("Patientez quelques minutes, puis réessayez."),
    ),
    500: ErrorText(
        "server_error",
        _l("Erreur du site"),
        _l("Une erreur s'est produite de notre côté ; elle est enregistrée pour être corrigée."),
        _l(
            "Votre dernière action n'a peut-être pas été enregistrée : réessayez dans quelques "
            "minutes. Si l'erreur revient, contactez votre lieu d'accueil."
        ),
    ),
}
SESSION_EXPIRED_PAGE = ErrorText(
    "session_expired",
    _l("Session expirée"),
    SESSION_EXPIRED,
    _l("Revenez à la page précédente, rechargez-la, puis envoyez à nouveau."),
)
# Headers of the original error worth keeping on the branded answer.
KEPT_HEADERS = ("Allow", "Retry-After")
# A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no layout either.
UNKNOWN_HOST = "Hôte inconnu. / Unknown host.\n"


def init_app(app: Flask) -> None:
    for status in ERRORS:
        app.register_error_handler(status, handle_http_error)
    app.register_error_handler(CSRFError, handle_http_error)


def handle_http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 400 and _unknown_host():
        return Response(UNKNOWN_HOST, 400, mimetype="text/plain")
    text = SESSION_EXPIRED_PAGE if isinstance(error, CSRFError) else ERRORS.get(status, ERRORS[500])
    if request.path.startswith("/api/"):
        response = jsonify(error={"code": text.code, "message": str(text.explanation)})
    else:
        response = Response(_page(error, status, text), mimetype="text/html")
    response.status_code = status
    for name in KEPT_HEADERS:
        value = error.get_response().headers.get(name)
        if value:
            response.headers[name] = value
    return response


def _unknown_host() -> bool:
    hosts = current_app.config.get("TRUSTED_HOSTS")
    try:
        request.host  # noqa: B018  (raises SecurityError for a host outside TRUSTED_HOSTS)
    except SecurityError:
        return bool(hosts)
    return False


def _page(error: HTTPException, status: int, text: ErrorText) -> str:
    if status == 404 and error.description == "invalid_link":
        return render_template("booking/invalid_link.html")
    try:
        return render_template("errors/error.html", status=status, text=text)
    except Exception:
        if status != 500 or not isinstance(error, InternalServerError):
            raise
        # The layout itself failed (the database, a template): a bare page rather than none.
        current_app.logger.exception("The error page could not be rendered")
        return f"<!doctype html><title>Erreur / Error</title><p>{text.explanation}</p>"
