"""Theme profiles are data: bundled TOML files, and the user's, validated with clear errors."""

import pytest

from archiver.errors import ExtractionError
from archiver.extract.profiles import bundled_profiles, load_profile, load_profiles


def test_the_bundled_profiles_are_classic_and_modern():
    assert [profile.name for profile in bundled_profiles()] == ["classic", "modern"]


def test_user_theme_files_are_tried_before_the_bundled_ones(tmp_path):
    theme = tmp_path / "mine.toml"
    theme.write_text('name = "mine"\ndetect = ["div.entry"]\n[post]\ntitle = ["h2.entry-title"]\n', encoding="utf-8")
    assert [p.name for p in load_profiles([str(theme)])] == ["mine", "classic", "modern"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("name = ", "not valid TOML"),
        ('detect = ["div"]', "needs a name"),
        ('name = "x"\n[post]\ntitle = ["h2[["]', "invalid selector"),
        ('name = "x"\n[post]\ntitel = ["h2"]', "unknown keys in \\[post\\]: titel"),
        ('name = "x"\n[post]\ntitle = 3', "must be a selector or a list"),
        ('name = "x"\n[post]\ntitle = ["xpath://h2[@"]', "invalid selector"),
    ],
)
def test_a_bad_theme_file_gets_a_clear_error(tmp_path, text, message):
    theme = tmp_path / "bad.toml"
    theme.write_text(text, encoding="utf-8")
    with pytest.raises(ExtractionError, match=message):
        load_profile(theme)


def test_a_missing_theme_file_gets_a_clear_error(tmp_path):
    with pytest.raises(ExtractionError, match="cannot read theme file"):
        load_profile(tmp_path / "nope.toml")
