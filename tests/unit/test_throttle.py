import pytest

from app.errors import UnlockThrottled
from app.vault.throttle import FREE_ATTEMPTS, MAX_DELAY_SECONDS, Throttle, delay_after


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_delay_grows_exponentially_after_the_free_attempts():
    delays = [delay_after(n) for n in range(FREE_ATTEMPTS + 6)]
    assert delays[:FREE_ATTEMPTS] == [0] * FREE_ATTEMPTS
    assert delays[FREE_ATTEMPTS:] == [1, 2, 4, 8, 16, 32]
    assert delay_after(100) == MAX_DELAY_SECONDS


def test_the_delay_survives_a_restart(tmp_path):
    clock = Clock()
    for _ in range(FREE_ATTEMPTS + 2):
        Throttle(tmp_path / "state.json", clock).record_failure("owner", "passphrase")
    restarted = Throttle(tmp_path / "state.json", clock)  # a new process reads the file
    with pytest.raises(UnlockThrottled) as info:
        restarted.check()
    assert info.value.seconds_left == 4
    assert "wait 4 s" in str(info.value)
    clock.now += 4
    restarted.check()


def test_reset_clears_failures_and_pending_events(tmp_path):
    throttle = Throttle(tmp_path / "state.json", Clock())
    for _ in range(FREE_ATTEMPTS + 1):
        throttle.record_failure("owner", "passphrase")
    assert [e["action"] for e in throttle.pending()] == ["unlock.failed"] * (FREE_ATTEMPTS + 1)
    throttle.reset()
    throttle.check()
    assert throttle.pending() == []


@pytest.mark.parametrize(
    "content",
    [
        b"garbage",
        b'{"version": 9}',
        b'{"version": 1}',
        b'{"version": 1, "failures": -1, "last_failure": 0}',
        b"x" * 100_000,
    ],
)
def test_a_damaged_state_file_counts_as_many_failures_not_as_none(tmp_path, content):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    throttle = Throttle(path, Clock())
    with pytest.raises(UnlockThrottled):
        throttle.check()
    assert throttle.pending()[0]["action"] == "unlock.state_damaged"
