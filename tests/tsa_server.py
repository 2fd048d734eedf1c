"""A real RFC 3161 time-stamping authority on 127.0.0.1, for tests: an HTTP server that
answers `application/timestamp-query` POSTs with a token signed by a throwaway TSA
certificate (issued by its own throwaway CA), or fails the way a real server may: an HTTP 500,
or a body that is not a timestamp reply at all. And what a forger would do to a sealed copy:
put other tokens in the seal's CMS (`with_tokens`), where the seal's signature does not
reach."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper

from portal import clock
from portal.esign.asyncio_bridge import run
from portal.esign.timestamps import TOKEN_ATTRIBUTE

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


def stamper_of(identity: TsaIdentity) -> DummyTimeStamper:
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(identity.certificate.public_bytes(_DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            identity.key.private_bytes(
                _DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        certs_to_embed=[asn1_x509.Certificate.load(identity.ca.public_bytes(_DER))],
    )


def token_over(identity: TsaIdentity, signature_value: bytes) -> cms.ContentInfo:
    """A genuine token of this TSA over a signature value (RFC 3161 annex A imprint)."""
    digest = hashlib.sha256(signature_value).digest()
    token: cms.ContentInfo = run(stamper_of(identity).async_timestamp(digest, "sha256"))
    return token


def seal_signature_value(pdf: bytes) -> bytes:
    signature = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures[-1]
    return bytes(signature.signer_info["signature"].native)


def with_tokens(pdf: bytes, tokens: list[cms.ContentInfo]) -> bytes:
    """The same PDF, byte for byte, but for the signature-time-stamp tokens of its last seal's
    CMS, rewritten in place inside the /Contents hex string (zero-padded as pyHanko does)."""
    signature = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures[-1]
    _, hole_start, hole_end, _ = (int(n) for n in signature.byte_range)
    content = cms.ContentInfo.load(bytes(signature.pkcs7_content), strict=False)
    signer_info = content["content"]["signer_infos"][0]
    kept = [
        attribute
        for attribute in (signer_info["unsigned_attrs"] or [])
        if attribute["type"].native != TOKEN_ATTRIBUTE
    ]
    added = [cms.CMSAttribute({"type": TOKEN_ATTRIBUTE, "values": [t]}) for t in tokens]
    signer_info["unsigned_attrs"] = cms.CMSAttributes(kept + added) if kept + added else None
    hexed = content.dump(force=True).hex().encode()
    width = hole_end - hole_start - 2  # between < and >
    assert pdf[hole_start : hole_start + 1] == b"<" and len(hexed) <= width
    return pdf[: hole_start + 1] + hexed.ljust(width, b"0") + pdf[hole_end - 1 :]


@contextmanager
def running_tsa(identity: TsaIdentity) -> Iterator[LocalTsa]:
    stamper = stamper_of(identity)
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
