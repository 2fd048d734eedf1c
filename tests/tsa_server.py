"""A real RFC 3161 time-stamping authority on 127.0.0.1, for tests: an HTTP server that
answers `application/timestamp-query` POSTs with a token signed by a throwaway TSA
certificate (issued by its own throwaway CA), or fails the way a real server may: an HTTP 500,
or a body that is not a timestamp reply at all."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from portal import clock

TSA_NAME = "Horodatage de test (sans valeur)"


@dataclass(frozen=True, slots=True)
class TsaIdentity:
    ca: x509.Certificate
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


@dataclass
class LocalTsa:
    """The running server; `answer` says how it answers the next requests."""

    url: str
    identity: TsaIdentity
    answer: str = "token"  # "token", "error_500" or "garbage"
    requests: list[tsp.TimeStampReq] = field(default_factory=list)
    tokens_sent: int = 0


def make_identity() -> TsaIdentity:
    now = clock.now()
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name("AC d'horodatage de test")
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = (
        _builder(_name(TSA_NAME), ca_name, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # RFC 3161 2.3: a TSA certificate has exactly this extended key usage, critical.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return TsaIdentity(ca, certificate, key)


@contextmanager
def running_tsa(identity: TsaIdentity) -> Iterator[LocalTsa]:
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(identity.certificate.public_bytes(_DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            identity.key.private_bytes(
                _DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=[asn1_x509.Certificate.load(identity.ca.public_bytes(_DER))],
    )
    state: list[LocalTsa] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            tsa = state[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self._reply(415, "text/plain", b"expected application/timestamp-query")
                return
            request = tsp.TimeStampReq.load(body)
            tsa.requests.append(request)
            if tsa.answer == "error_500":
                self._reply(500, "text/plain", b"internal error")
            elif tsa.answer == "garbage":
                self._reply(200, "application/timestamp-reply", b"<html>maintenance</html>")
            else:
                tsa.tokens_sent += 1
                token = stamper.request_tsa_response(request).dump()
                self._reply(200, "application/timestamp-reply", token)

        def _reply(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep pytest's output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    host, port = server.server_address[:2]
    state.append(LocalTsa(url=f"http://{host!s}:{port}/tsa", identity=identity))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state[0]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


_DER = serialization.Encoding.DER


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, public: rsa.RSAPublicKey, now: datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
    )
