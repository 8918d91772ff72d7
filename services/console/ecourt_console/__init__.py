"""Console: the staff web application of a people's court, and the holder of staff accounts.

It is the only process with the token signing private key: a staff member logs in here and gets an
Ed25519-signed token (in an HttpOnly cookie) that every service verifies on each RPC.
"""
