"""The orientation answer kept in the session cookie is sealed: decoded, the cookie shows no
reason, no age and no disability answer, and /resultat still reads it (issue 10)."""

from __future__ import annotations

import base64
import json
import zlib

from flask import Flask
from flask.testing import FlaskClient

ANSWERS = {"situation": "salarie_prive", "cadre": "0", "age": "52", "rqth": "1", "suivi": "0"}


def _decoded(cookie: str) -> str:
    """What anyone holding the cookie can read: Flask's payload is base64, maybe zlib'ed."""
    compressed = cookie.startswith(".")
    payload = cookie.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(data) if compressed else data).decode()


def test_the_cookie_reveals_no_reason_and_the_result_still_shows(
    app: Flask, client: FlaskClient
) -> None:
    response = client.post("/", data={"home": "Rennes", **ANSWERS})
    assert response.status_code == 303
    cookie = client.get_cookie("session")
    assert cookie is not None
    session = json.loads(_decoded(cookie.value))  # the session, decoded
    # The answer is sealed (Fernet): its ciphertext is random text, where « 52 » may appear
    # by chance; what must not appear is the answer anywhere else in the cookie.
    sealed = session.pop("orientation")
    assert isinstance(sealed, str) and sealed.startswith("gAAAA")
    readable = json.dumps(session)
    for secret in ("disability", "cap_emploi", "reasons", "rqth", "52", "35238", "Rennes"):
        assert secret not in readable, secret
    page = client.get("/resultat").get_data(as_text=True)
    assert "Cap emploi" in page


def test_an_answer_sealed_with_another_key_asks_again(client: FlaskClient) -> None:
    from portal.public.sealed import seal

    with client.session_transaction() as s:
        s["orientation"] = seal({"route": "apec", "alternatives": [], "reasons": []}, "other")
    response = client.get("/resultat")
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
