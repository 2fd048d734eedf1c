"""The RFC 3161 client of the seal (`ESIGN_TSA_URL`): pyHanko's HTTP client, with every way
the server may fail raised as pyHanko's `TimestampRequestError`, which `seal_version` turns
into a seal on the server's time."""

from __future__ import annotations

from typing import Any

from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError


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


__all__ = ["GuardedTimeStamper"]
