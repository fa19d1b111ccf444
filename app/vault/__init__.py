"""Key hierarchy: KDF, keyslots, recovery key, OS keyring.

The only package that touches key material.
"""
