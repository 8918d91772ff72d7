"""Authentication (Ed25519-signed tokens) and the court's role model.

Only the console holds the private key and issues tokens; every service verifies them with the
public key, so a compromised service cannot mint identities. RPC entrypoints that touch a case take
the caller's token and decide for themselves who may see what.
"""

from ecourt_shared.auth.keys import ensure_keypair, load_private_key, load_public_key
from ecourt_shared.auth.tokens import AuthError, Principal, Role, issue_token, verify_token

__all__ = ["AuthError", "Principal", "Role", "ensure_keypair", "issue_token", "load_private_key",
           "load_public_key", "verify_token"]
