"""Per-agency Ed25519 signing keys, kept as files under ``settings.data_dir / "keys"``.

A key is created on first use (directory 0700, file 0600, created exclusively so two processes
cannot each make a different key for the same agency). The key name in signatures is the agency
code, so a signature line reads "— MOD …" and an error reads "signature by MOD does not verify".
The public half is exported as signed-note verifier-key text for the mediator.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from parley.adapters.private_files import create_private
from parley.errors import N_, InvalidInput, NotFound
from parley.services.workspace import Workspace
from parley.trust.errors import TrustError
from parley.trust.keys import (
    check_key_name,
    generate_private_key,
    load_private_key,
    parse_verifier_key,
    private_key_pem,
    verifier_key_text,
)


def key_dir(ws: Workspace) -> Path:
    return ws.settings.data_dir / "keys"


def _key_path(ws: Workspace, agency_code: str) -> Path:
    try:
        check_key_name(agency_code)
    except TrustError as err:
        raise InvalidInput(
            N_("agency code %(agency_code)s: %(err)s"),
            agency_code=repr(agency_code), err=err,
        ) from err
    if "/" in agency_code or agency_code.startswith("."):
        raise InvalidInput(
            N_("agency code %(agency_code)s cannot name a key file"),
            agency_code=repr(agency_code),
        )
    return key_dir(ws) / f"{agency_code}.pem"


def _require_agency(ws: Workspace, agency_code: str) -> None:
    with ws.store.reading() as tx:
        if not ws.repos.agencies.exists(tx, agency_code):
            raise NotFound(
                N_("no agency %(agency_code)s: it has no signing key"),
                agency_code=repr(agency_code),
            )


def agency_private_key(ws: Workspace, agency_code: str) -> Ed25519PrivateKey:
    """The agency's signing key, made on first use."""
    _require_agency(ws, agency_code)
    path = _key_path(ws, agency_code)
    if not path.exists():
        key = generate_private_key()
        if create_private(path, private_key_pem(key)):
            return key
        # else another process made it first; read theirs
    try:
        return load_private_key(path.read_bytes())
    except (OSError, TrustError) as err:
        raise InvalidInput(
            N_("%(path)s: cannot read the signing key of %(agency_code)s: %(err)s"),
            path=path, agency_code=agency_code, err=err,
        ) from err


def agency_public_key(ws: Workspace, agency_code: str) -> Ed25519PublicKey:
    return agency_private_key(ws, agency_code).public_key()


def existing_public_key(ws: Workspace, agency_code: str) -> Ed25519PublicKey:
    """The public key of a key that must already exist (verification never makes keys)."""
    path = _key_path(ws, agency_code)
    if not path.exists():
        raise NotFound(
            N_("no signing key of %(agency_code)s in %(parent)s"),
            agency_code=agency_code, parent=path.parent,
        )
    try:
        return load_private_key(path.read_bytes()).public_key()
    except (OSError, TrustError) as err:
        raise InvalidInput(
            N_("%(path)s: cannot read the signing key of %(agency_code)s: %(err)s"),
            path=path, agency_code=agency_code, err=err,
        ) from err


def agency_public_key_text(ws: Workspace, agency_code: str) -> str:
    """The signed-note verifier key ``CODE+keyid+base64`` a mediator passes to ``parley-verify``."""
    return verifier_key_text(agency_code, agency_public_key(ws, agency_code))


def agency_signer(ws: Workspace, agency_code: str) -> tuple[str, Ed25519PrivateKey]:
    """The (name, key) pair that ``parley.trust`` signing functions take."""
    return agency_code, agency_private_key(ws, agency_code)


def existing_key_codes(ws: Workspace) -> list[str]:
    folder = key_dir(ws)
    return sorted(p.stem for p in folder.glob("*.pem")) if folder.exists() else []


def export_public_keys(
    ws: Workspace, out_dir: Path, agencies: list[str] | None = None
) -> list[Path]:
    """Write ``CODE.pub`` (one verifier-key line) for each agency (default: every key made)."""
    codes = agencies if agencies is not None else existing_key_codes(ws)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for code in codes:
        text = agency_public_key_text(ws, code)
        parse_verifier_key(text)  # refuse to hand out a key that would not parse
        path = out_dir / f"{code}.pub"
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written
