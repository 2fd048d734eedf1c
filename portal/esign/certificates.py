"""The operator's seal certificate: a PKCS#12 file in production (`ESIGN_PKCS12_PATH`,
`ESIGN_PKCS12_PASSWORD`); in development and tests, a throwaway demo CA and seal made on
first use under `instance/esign/` (never committed: `instance/` is ignored).
"""

from __future__ import annotations

import fcntl
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.sign.signers import SimpleSigner

from portal import clock

DEMO_CA = "demo-ca.pem"
DEMO_SEAL = "demo-seal.p12"
DEMO_YEARS = 5  # a development machine outlives a few months; no one trusts it anyway
KEY_BITS = 3072  # RSA size recommended by ANSSI (RGS B1) beyond 2030


class SealUnavailableError(RuntimeError):
    """No certificate to seal with (production without ESIGN_PKCS12_PATH)."""


@dataclass(frozen=True, slots=True)
class SealSettings:
    pkcs12_path: str  # "" → the demo seal, where allowed
    pkcs12_password: str
    tsa_url: str  # "" → no RFC 3161 timestamp: the evidence says the server's time was used
    demo_dir: Path
    allow_demo: bool  # never in production
    # Printed on the certificate page: where to check a copy, the mediator (CCTP 3.7).
    verify_url: str = ""
    mediator_url: str = ""
    mediator_address: str = ""

    @property
    def p12_path(self) -> Path:
        if self.pkcs12_path:
            return Path(self.pkcs12_path)
        if not self.allow_demo:
            raise SealUnavailableError("ESIGN_PKCS12_PATH is not set")
        ensure_demo(self.demo_dir)
        return self.demo_dir / DEMO_SEAL

    @property
    def password(self) -> bytes | None:
        return self.pkcs12_password.encode() if self.pkcs12_path and self.pkcs12_password else None


def load_signer(settings: SealSettings) -> SimpleSigner:
    path = settings.p12_path
    try:
        signer: SimpleSigner = SimpleSigner.load_pkcs12_data(
            path.read_bytes(), [], passphrase=settings.password
        )
    except (OSError, ValueError) as error:
        raise SealUnavailableError(f"cannot read the PKCS#12 file {path}: {error}") from error
    return signer


def ensure_demo(directory: Path) -> None:
    """Make the demo CA and its seal once; processes starting together make one pair."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (directory / DEMO_SEAL).exists() and (directory / DEMO_CA).exists():
            return
        ca_key, ca = _demo_ca()
        seal_key, seal = _demo_seal(ca_key, ca)
        p12 = pkcs12.serialize_key_and_certificates(
            b"cep-demo-seal", seal_key, seal, [ca], serialization.NoEncryption()
        )
        _write(directory / DEMO_CA, ca.public_bytes(serialization.Encoding.PEM))
        _write(directory / DEMO_SEAL, p12)


def _demo_ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = _name("Portail CEP — AC de démonstration (sans valeur)")
    public = key.public_key()
    certificate = (
        _builder(name, name, public)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _demo_seal(
    ca_key: rsa.RSAPrivateKey, ca: x509.Certificate
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = _name("Portail CEP — cachet de démonstration (sans valeur)")
    certificate = (
        _builder(name, ca.subject, key.public_key())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Portail CEP (démonstration)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, public: rsa.RSAPublicKey
) -> x509.CertificateBuilder:
    now = clock.now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * DEMO_YEARS))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,  # non-repudiation: the seal vouches for the content
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    temporary.chmod(0o600)
    os.replace(temporary, path)


__all__ = ["SealSettings", "SealUnavailableError", "ensure_demo", "load_signer"]
