"""Encrypted backups (``*.ivbak``): create, verify, restore.

A backup is an age v1 file (https://age-encryption.org/v1); :mod:`app.backup.age_format`
reads and writes that container on ``cryptography`` primitives, so the stock ``age`` tool
opens a backup with the recovery key alone. See docs/backup-format.md.
"""
