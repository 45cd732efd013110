"""Both languages say everything: the same keys, nested ones too, and the same placeholders."""

import re

import pytest

from app import texts
from app.texts import en, zh


def keys(words: dict, prefix="") -> set[str]:
    found = set()
    for key, value in words.items():
        found.add(prefix + key)
        if isinstance(value, dict):
            found |= keys(value, f"{prefix}{key}.")
    return found


def flat(words: dict, prefix="") -> dict[str, str]:
    out = {}
    for key, value in words.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def test_both_dictionaries_have_the_same_keys():
    assert keys(en.WORDS) == keys(zh.WORDS)


def test_both_fill_in_the_same_numbers():
    english, chinese = flat(en.WORDS), flat(zh.WORDS)
    for key, text in english.items():
        assert set(re.findall(r"\{(\w+)", text)) == set(re.findall(r"\{(\w+)", chinese[key])), key


def test_the_chinese_words_are_chinese():
    for key, text in flat(zh.WORDS).items():
        if text.strip() and not text.strip().startswith("|"):
            assert re.search(r"[\u4e00-\u9fff]", text) or key in ("flip",), key


def test_every_refusal_the_library_can_make_has_chinese_words():
    from pathlib import Path

    source = "".join(path.read_text() for path in Path(texts.__file__).parent.parent.rglob("*.py"))
    codes = set(re.findall(r'code\s*=\s*"(\w+)"', source))
    assert codes and codes <= set(zh.ERRORS), codes - set(zh.ERRORS)


@pytest.mark.parametrize("drawing, words", [
    ("data:text/plain;base64,aGk=", "需要 PNG 格式"),
    ("data:image/png;base64,!!!", "不是有效的 base64"),
    ("data:image/png;base64," + "A" * 2_100_000, "上限是 2,000,000"),
    ("data:image/png;base64,aGk=", "不是受支持格式"),
])
def test_refusals_of_a_drawing_in_chinese(drawing, words):
    from app.decode import read_data_url
    from app.inputs import InputError

    with pytest.raises(InputError) as refusal:
        read_data_url(drawing)
    assert words in texts.error_text(refusal.value, "zh-CN")
    assert texts.error_text(refusal.value, "en") == str(refusal.value)
