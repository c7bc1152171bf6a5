"""Password strength beyond length (#9, item 10): zxcvbn's estimate, which knows the common
passwords of the published leaks (its frequency lists ship in the package), words, names,
keyboard patterns, repeats, sequences and dates, and the account's own email and name."""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn

# zxcvbn's cost grows with the length; what the first 64 characters do not make strong,
# more characters rarely make weak, so longer passwords are judged by those.
_JUDGED = 64


class ZxcvbnPasswordPolicy:
    """Refuses a password zxcvbn scores below ``min_score`` (0–4; 3: "safely unguessable",
    about 10^8 guesses or more)."""

    def __init__(self, min_score: int = 3) -> None:
        self._min_score = min_score

    def guessable(self, password: str, related: Sequence[str] = ()) -> bool:
        inputs = [part for value in related for part in _parts(value)]
        return bool(zxcvbn(password[:_JUDGED], user_inputs=inputs)["score"] < self._min_score)


def _parts(value: str) -> list[str]:
    """An email's local part and domain words count as words the user knows."""
    words = value.lower().replace("@", " ").replace(".", " ").replace("-", " ").split()
    return [value.lower(), *words]
