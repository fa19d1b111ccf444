"""Key material in a mutable buffer that is overwritten when it is no longer needed.

This is best effort and documented as such (docs/SECURITY.md): Python and the
libraries we call (argon2-cffi, cryptography, sqlcipher3) make their own
immutable copies that we cannot reach, and the garbage collector may move or
keep them. Wiping our own copy still shortens the time a key sits in memory
and keeps it out of objects that live long (sessions, caches).
"""

import hmac


class SecretBuffer:
    """A fixed-size secret held in a ``bytearray`` and zeroed by :meth:`wipe`."""

    __slots__ = ("_buf",)

    def __init__(self, data: bytes | bytearray) -> None:
        self._buf = bytearray(data)
        if isinstance(data, bytearray):
            data[:] = b"\0" * len(data)

    def __len__(self) -> int:
        return len(self._buf)

    def __repr__(self) -> str:  # never show the bytes, not even in a traceback
        return f"SecretBuffer(<{len(self._buf)} bytes{', wiped' if self.wiped else ''}>)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretBuffer):
            return NotImplemented
        return hmac.compare_digest(self._buf, other._buf)

    __hash__ = None  # type: ignore[assignment]  # mutable; never a dict key

    @property
    def wiped(self) -> bool:
        return len(self._buf) == 0

    def reveal(self) -> bytes:
        """An immutable copy for a library call; keep it in a local variable only."""
        if self.wiped:
            raise ValueError("secret already wiped")
        return bytes(self._buf)

    def hex(self) -> str:
        if self.wiped:
            raise ValueError("secret already wiped")
        return self._buf.hex()

    def copy(self) -> "SecretBuffer":
        return SecretBuffer(bytes(self._buf))

    def wipe(self) -> None:
        for i in range(len(self._buf)):
            self._buf[i] = 0
        self._buf = bytearray()
