"""The portal's PDF signature (PAdES, invisible; the visible mark is the seal in the page itself,
because pyHanko's own stamp garbles Chinese). The key is generated on first use when absent."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from django.conf import settings

NAME = "基础教育信息化融合创新实验区（校）管理平台"


def key_path() -> Path:
    return Path(settings.PORTAL_SIGNING_KEY_FILE)


def ensure_key() -> Path:
    """Writes key and certificate as one PEM file, once: concurrent first uses never pair one
    process's key with another's certificate (the file appears atomically, and only if absent)."""
    path = key_path()
    if path.exists():
        return path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME), x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) + cert.public_bytes(serialization.Encoding.PEM)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(pem)
    os.chmod(partial, 0o600)
    try:
        os.link(partial, path)  # fails if another process got there first: keep theirs
    except FileExistsError:
        pass
    finally:
        partial.unlink(missing_ok=True)
    return path


def _material():
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    pem = ensure_key().read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    cert = x509.load_pem_x509_certificate(pem)
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_keys.PrivateKeyInfo.load(der_key),
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
    )


def certificate():
    return _material()[1]


def sign(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key, cert = _material()
    signer = signers.SimpleSigner(
        signing_cert=cert, signing_key=key, cert_registry=SimpleCertificateStore.from_certs([cert])
    )
    meta = signers.PdfSignatureMetadata(
        field_name="PortalSignature",
        subfilter=SigSeedSubFilter.PADES,
        reason="基础教育信息化融合创新实验区（校）管理平台出具",
        name=NAME,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta, signer=signer)
    return out.getvalue()


def verify(pdf: bytes) -> dict:
    """{"signed", "intact", "valid", "covers_whole_file"} against the portal's own certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    if not reader.embedded_signatures:
        return {"signed": False, "intact": False, "valid": False, "covers_whole_file": False}
    embedded = reader.embedded_signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[certificate()], allow_fetching=False))
    coverage = getattr(status, "coverage", None)
    return {
        "signed": True,
        "intact": bool(status.intact),
        "valid": bool(status.valid and status.trusted),
        "covers_whole_file": bool(coverage is not None and coverage.name == "ENTIRE_FILE"),
    }
