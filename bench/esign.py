"""Sealing a 6-page livrable and verifying it, against printing the unsigned PDF in the same
run (issue 11). No database: the seal's work is PDF and crypto; the verification's one SQL
lookup (by the signed digest, a unique index) is left out.

    python bench/esign.py [--runs 30]

Prints p50/p95 (ms) of: printing the unsigned livrable (fpdf2, DejaVu Sans embedded); sealing
it (certificate page + append with pypdf + PAdES seal with pyHanko, RSA 3072, no TSA); and
verifying the sealed copy (reading the seal, recomputing the digest, checking the signature
and its coverage). The ratios are to the unsigned printing's p50/p95.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from portal.esign.asyncio_bridge import run
from portal.esign.certificate_page import CertifiedEvent, EvidenceCertificate, render_certificate
from portal.esign.certificates import SealSettings, load_signer
from portal.esign.models import EventKind
from portal.esign.seal import _append, _sign, signature_facts
from portal.livrables.models import LivrableKind
from portal.livrables.pdf import PrintedLivrable, WishedService
from portal.livrables.pdf_layout import render

AT = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
TEXT = (
    "Salariée en logistique depuis douze ans, elle souhaite devenir aide-soignante ; "
    "Œuvre pour l’avenir, budget 12 € par mois. "
)


def livrable(pages_wanted: int = 6) -> PrintedLivrable:
    doc = PrintedLivrable(
        kind=LivrableKind.PROJET_PROFESSIONNEL,
        version=1,
        sha256="3f" * 32,
        frozen_at=AT,
        operator_name="Opérateur CEP de démonstration",
        operator_contact=("1 rue de la Paix, 75002 Paris", "01 00 00 00 00"),
        person_name="Thị Lan Nguyễn",
        advisor_name="Tĕvita Fifita",
        unit_label="UO2.1",
        unit_number="16 26 12 21 000042",
        purchase_order_ref="2026-Lot16-UO2.1-01-00042",
        engaged_on=date(2026, 9, 1),
        deadline=date(2027, 3, 1),
        sections=(),
        steps=tuple(("Objectif", "Action", "Moi", "1 mars 2027", "CPF") for _ in range(6)),
        services=(WishedService("Bilan", (("Bilan Paris", "Paris", True),), "Bilan Paris"),),
        wants_uo22=True,
        mediator_url="https://www.francecompetences.fr/mediateur/",
        mediator_address="France compétences — Le Médiateur, 11 rue Scribe, 75009 Paris",
    )
    repeat = 10
    while True:
        sections = tuple((f"Partie {n}", TEXT * repeat) for n in range(1, 5))
        candidate = replace(doc, sections=sections)
        if len(PdfReader(BytesIO(render(candidate))).pages) >= pages_wanted:
            return candidate
        repeat += 5


def certificate(number_of_events: int = 6) -> EvidenceCertificate:
    kinds = [EventKind.PAPER_PRINTED, EventKind.PAPER_DATES_RECORDED, EventKind.SCAN_UPLOADED]
    events = tuple(
        CertifiedEvent(
            n, AT + timedelta(minutes=n), kinds[n % 3], "Tĕvita Fifita", "", "3f" * 32, "ab" * 32
        )
        for n in range(1, number_of_events + 1)
    )
    return EvidenceCertificate(
        title="Projet professionnel", version=1, unit_number="16 26 12 21 000042",
        operator_name="Opérateur CEP de démonstration", content_sha256="3f" * 32,
        pdf_sha256="4d" * 32, parties=(("Le conseiller", "Tĕvita Fifita", "a signé"),),
        identification=("Signature sur papier.",), events=events, chain_length=len(events),
        chain_head="ab" * 32, timestamp_note="Heure du serveur.", seal_subject="Démo",
        sealed_at=AT, verify_url="http://127.0.0.1:5000/verifier", mediator_url="https://x",
        mediator_address="11 rue Scribe",
    )  # fmt: skip


def timed(function, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    doc = livrable()
    printed = render(doc)
    pages = len(PdfReader(BytesIO(printed)).pages)
    with tempfile.TemporaryDirectory() as folder:
        settings = SealSettings("", "", "", Path(folder), allow_demo=True)
        signer = load_signer(settings)

        def seal() -> bytes:
            return _sign(_append(printed, render_certificate(certificate())), signer, "")

        sealed = seal()

        def verify() -> None:
            signature = PdfFileReader(BytesIO(sealed), strict=False).embedded_signatures[-1]
            signature_facts(signature)
            context = ValidationContext(trust_roots=[signature.signer_cert], allow_fetching=False)
            status = run(async_validate_pdf_signature(signature, signer_validation_context=context))
            assert status.intact and status.valid and status.coverage.name == "ENTIRE_FILE"

        timed(lambda: render(doc), 3), timed(seal, 3), timed(verify, 3)  # warm up
        results = {
            "print the unsigned livrable": timed(lambda: render(doc), runs),
            "seal it (certificate page + PAdES)": timed(seal, runs),
            "verify the sealed copy": timed(verify, runs),
        }
    base50, base95 = (
        p(results["print the unsigned livrable"], 50),
        p(results["print the unsigned livrable"], 95),
    )
    print(f"{pages}-page livrable ({len(printed)} bytes), sealed {len(sealed)} bytes, {runs} runs")
    print("| measure | p50 | p95 | ratio to printing (p50 / p95) |\n|---|---|---|---|")
    for name, values in results.items():
        p50, p95 = p(values, 50), p(values, 95)
        print(
            f"| {name} | {p50:.1f} ms | {p95:.1f} ms | {p50 / base50:.2f}× / {p95 / base95:.2f}× |"
        )


if __name__ == "__main__":
    main()
