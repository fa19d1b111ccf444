"""The translation files: same keys and placeholders everywhere, and a broken file fails loudly."""

import json
import shutil
import string

import pytest

from app import resources
from app.documents import labels
from app.documents.source import LANGUAGES
from app.domain.unit_codes import UNIT_CODES


def raw(language: str) -> dict[str, str]:
    return json.loads(resources.path("i18n", f"{language}.json").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_the_same_keys_and_placeholders():
    files = {language: raw(language) for language in LANGUAGES}
    keys = set(files["en"])
    for language, texts in files.items():
        assert set(texts) == keys, language
        for key, text in texts.items():
            assert placeholders(text) == placeholders(files["en"][key]), (language, key)
            assert text.strip(), (language, key)


def test_every_unit_code_has_a_label():
    assert {f"unit.{code}" for code in UNIT_CODES} <= set(raw("en"))


def test_labels_are_loaded_per_language():
    assert labels.labels("de")["title.invoice"] == "Rechnung"
    assert labels.labels("fr").text("page.number", page=2, pages=3) == "Page 2 sur 3"
    with pytest.raises(ValueError, match="xx"):
        labels.labels("xx")


@pytest.fixture
def label_folder(tmp_path, monkeypatch):
    """A copy of the translation files the test may break; the cache is emptied around it."""
    folder = tmp_path / "i18n"
    shutil.copytree(resources.path("i18n"), folder)
    monkeypatch.setattr(resources, "ROOT", tmp_path)
    labels._all.cache_clear()
    yield folder
    labels._all.cache_clear()


def edit(folder, language, change):
    file = folder / f"{language}.json"
    texts = json.loads(file.read_text(encoding="utf-8"))
    change(texts)
    file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")


def test_a_missing_key_is_an_error_at_load_not_an_english_fallback(label_folder):
    edit(label_folder, "de", lambda texts: texts.pop("title.invoice"))
    with pytest.raises(labels.LabelFileError, match=r"de\.json.*title\.invoice"):
        labels.labels("en")


def test_an_extra_key_is_an_error(label_folder):
    edit(label_folder, "fr", lambda texts: texts.update({"title.bogus": "x"}))
    with pytest.raises(labels.LabelFileError, match=r"title\.bogus"):
        labels.labels("fr")


def test_a_changed_placeholder_is_an_error(label_folder):
    edit(label_folder, "fr", lambda texts: texts.update({"page.number": "Page {page}"}))
    with pytest.raises(labels.LabelFileError, match=r"page\.number"):
        labels.labels("fr")


def test_a_malformed_file_is_an_error(label_folder):
    (label_folder / "en.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(labels.LabelFileError, match=r"en\.json"):
        labels.labels("de")
