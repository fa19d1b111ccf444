"""The words printed on documents, from ``resources/i18n/<language>.json``.

Each file is one flat JSON object, key → text; a text may hold ``{name}``
placeholders filled by :meth:`Labels.text`. All files must have exactly the
same keys and, per key, the same placeholders: anything else is refused when
the files are first loaded, so a missing translation is found by the tests and
never shows up on a customer's invoice as English (or as a crash halfway
through a batch).
"""

import json
import string
from functools import cache

from app import resources
from app.documents.source import LANGUAGES


class LabelFileError(Exception):
    """A translation file is missing, malformed or out of step with the others (a bug)."""


class Labels:
    """The texts of one language."""

    def __init__(self, language: str, texts: dict[str, str]) -> None:
        self.language = language
        self._texts = texts

    def __getitem__(self, key: str) -> str:
        return self._texts[key]

    def get(self, key: str, default: str) -> str:
        return self._texts.get(key, default)

    def text(self, key: str, **values: object) -> str:
        """The text of ``key`` with its ``{placeholders}`` filled in."""
        return self._texts[key].format(**values)


def _placeholders(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def _read(language: str) -> dict[str, str]:
    file = resources.path("i18n", f"{language}.json")
    try:
        texts = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LabelFileError(f"{file.name}: cannot be read ({error})") from None
    if not isinstance(texts, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in texts.items()
    ):
        raise LabelFileError(f"{file.name}: must be one JSON object of texts")
    return texts


@cache
def _all() -> dict[str, Labels]:
    """Every language's labels, checked against each other once per process."""
    texts = {language: _read(language) for language in LANGUAGES}
    reference_language = LANGUAGES[0]
    reference = texts[reference_language]
    for language, entries in texts.items():
        missing = sorted(reference.keys() - entries.keys())
        extra = sorted(entries.keys() - reference.keys())
        if missing or extra:
            raise LabelFileError(
                f"{language}.json: keys differ from {reference_language}.json "
                f"(missing {missing}, extra {extra})"
            )
        for key, text in entries.items():
            if _placeholders(text) != _placeholders(reference[key]):
                raise LabelFileError(
                    f"{language}.json: {key!r} has placeholders {sorted(_placeholders(text))}, "
                    f"{reference_language}.json has {sorted(_placeholders(reference[key]))}"
                )
    return {language: Labels(language, entries) for language, entries in texts.items()}


def labels(language: str) -> Labels:
    """The labels of ``language`` (one of :data:`~app.documents.source.LANGUAGES`)."""
    try:
        return _all()[language]
    except KeyError:
        raise ValueError(f"no labels for language {language!r}") from None
