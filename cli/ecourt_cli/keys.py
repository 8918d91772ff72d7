"""The development auth key pair (Ed25519), generated once under <data>/keys/."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PRIVATE_NAME = "auth-private.pem"
PUBLIC_NAME = "auth-public.pem"


def ensure_auth_keys(data_dir: Path) -> dict[str, str]:
    """Create <data>/keys/auth-private.pem (mode 600) and auth-public.pem when missing; keep existing ones.

    Returns ECOURT_AUTH_PRIVATE_KEY_FILE and ECOURT_AUTH_PUBLIC_KEY_FILE for the children.
    """
    keys = data_dir / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    os.chmod(keys, 0o700)
    private_path, public_path = keys / PRIVATE_NAME, keys / PUBLIC_NAME
    if private_path.exists():
        loaded = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{private_path} is not an Ed25519 private key")
        private = loaded
    else:
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        tmp = private_path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        os.replace(tmp, private_path)
        public_path.unlink(missing_ok=True)  # a public key left from an older pair would not match
    os.chmod(private_path, 0o600)
    if not public_path.exists():
        public_path.write_bytes(
            private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        os.chmod(public_path, 0o644)
    return {
        "ECOURT_AUTH_PRIVATE_KEY_FILE": str(private_path),
        "ECOURT_AUTH_PUBLIC_KEY_FILE": str(public_path),
    }
