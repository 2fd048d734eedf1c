"""The RFC 3161 client of the seal (`ESIGN_TSA_URL`): pyHanko's HTTP client, with every way
the server may fail raised as pyHanko's `TimestampRequestError`, which `seal_version` turns
into a seal on the server's time. And what a seal's CMS carries of it: the
signature-time-stamp tokens (an unsigned attribute, outside what the seal signs) and the
certificate of the TSA that signed one."""

from __future__ import annotations

import hashlib
from io import BytesIO
from typing import Any

from asn1crypto import cms, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import extract_certificate_info, find_cms_attribute_iter
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

TOKEN_ATTRIBUTE = "signature_time_stamp_token"  # noqa: S105 (an attribute name, RFC 3161 A)


class GuardedTimeStamper(HTTPTimeStamper):
    """pyHanko raises TimestampRequestError for an unreachable server or an HTTP error, but an
    answer that is not a timestamp reply (a proxy's error page sent back as
    `application/timestamp-reply`) fails in asn1crypto with a ValueError: that too is a
    server that did not answer, not a reason to leave the livrable unsealed."""

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> Any:
        try:
            return await super().async_timestamp(message_digest, md_algorithm)
        except TimestampRequestError:
            raise
        except Exception as error:  # only the server's answer is read here
            raise TimestampRequestError(f"{self.url} answered no RFC 3161 reply") from error


def signature_tokens(signer_info: cms.SignerInfo) -> list[cms.SignedData]:
    """The SignedData of each signature-time-stamp token of a CMS signer."""
    tokens = find_cms_attribute_iter(signer_info["unsigned_attrs"], TOKEN_ATTRIBUTE)
    return [token["content"] for token in tokens]


def tsa_certificate(token: cms.SignedData) -> x509.Certificate | None:
    """The certificate that signed a token, when the token carries it (ours always do)."""
    try:
        return extract_certificate_info(token).signer_cert
    except Exception:  # a token we cannot read names no TSA
        return None


def tsa_certificate_sha256(pdf: bytes) -> str | None:
    """SHA-256 of the TSA certificate of the single token of a PDF's last seal, or None."""
    signer_info = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures[-1].signer_info
    tokens = signature_tokens(signer_info)
    certificate = tsa_certificate(tokens[0]) if len(tokens) == 1 else None
    return hashlib.sha256(certificate.dump()).hexdigest() if certificate is not None else None


__all__ = [
    "GuardedTimeStamper",
    "signature_tokens",
    "tsa_certificate",
    "tsa_certificate_sha256",
]
