"""The acting user and their open vault, handed to every service function."""

from dataclasses import dataclass

from app.store.connection import Connection
from app.store.users import User
from app.vault.vault import UnlockedVault


@dataclass
class Session:
    vault: UnlockedVault
    user: User

    @property
    def conn(self) -> Connection:
        return self.vault.connection()

    @property
    def vault_id(self) -> str:
        return self.vault.vault_id
