"""Passphrase strength, estimated by zxcvbn and explained in plain words.

The same estimate feeds the live meter in the GUI and the refusal at creation,
so a passphrase the meter calls strong is never refused afterwards.
"""

from dataclasses import dataclass

from zxcvbn import zxcvbn

from app.errors import WeakPassphrase

MIN_SCORE = 3  # zxcvbn: 0 too guessable ... 4 very unguessable
MIN_LENGTH = 10
# zxcvbn refuses more than 72 characters (its matching is quadratic); they decide the estimate.
ESTIMATE_CHARS = 72
LABELS = ("very weak", "weak", "fair", "strong", "very strong")


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    acceptable: bool
    advice: str  # one or two sentences for a person; empty when acceptable


def estimate(passphrase: str, context: tuple[str, ...] = ()) -> Strength:
    """Score a candidate passphrase; ``context`` holds words an attacker would try first."""
    if len(passphrase) < MIN_LENGTH:
        return Strength(
            0,
            LABELS[0],
            False,
            f"Use at least {MIN_LENGTH} characters; a few unusual words work well.",
        )
    result = zxcvbn(passphrase[:ESTIMATE_CHARS], user_inputs=[*context, "invoicevault", "invoice"])
    score = int(result["score"])
    if score >= MIN_SCORE:
        return Strength(score, LABELS[score], True, "")
    feedback = result.get("feedback") or {}
    parts = [feedback.get("warning") or "This passphrase would be easy to guess."]
    parts += list(feedback.get("suggestions") or [])[:2]
    if not any("word" in p.lower() for p in parts):
        parts.append("Add another word or two that are not a common phrase.")
    advice = " ".join(p if p.endswith(".") else p + "." for p in parts if p)
    return Strength(score, LABELS[score], False, advice)


def require_strong(passphrase: str, context: tuple[str, ...] = ()) -> None:
    strength = estimate(passphrase, context)
    if not strength.acceptable:
        raise WeakPassphrase(f"This passphrase is too weak ({strength.label}). {strength.advice}")
