"""Settings from the environment: a production run without a key refuses to start."""

import pytest

from pipeline.settings import DEMO_PSEUDONYM_KEY, Settings, SettingsError


def test_production_is_the_default_and_needs_a_key():
    settings = Settings.from_env({})
    assert settings.environment == "production"
    with pytest.raises(SettingsError, match="NOEGLETAL_PSEUDONYM_KEY is not set"):
        settings.pseudonym_key  # noqa: B018


def test_demo_uses_the_public_demo_key_and_says_so():
    settings = Settings.from_env({"NOEGLETAL_ENV": "demo"})
    assert settings.pseudonym_key == DEMO_PSEUDONYM_KEY
    assert settings.uses_demo_key


def test_a_short_key_and_the_demo_key_in_production_are_refused():
    with pytest.raises(SettingsError, match="shorter than 32 bytes"):
        Settings.from_env({"NOEGLETAL_PSEUDONYM_KEY": "secret"})
    with pytest.raises(SettingsError, match="demo key cannot be used in production"):
        Settings.from_env({"NOEGLETAL_PSEUDONYM_KEY": DEMO_PSEUDONYM_KEY.decode()})


def test_paths_are_absolute_and_thresholds_are_checked(tmp_path):
    settings = Settings.from_env(
        {
            "NOEGLETAL_ENV": "demo",
            "NOEGLETAL_DATA_DIR": "rel",
            "NOEGLETAL_QUARANTINE_THRESHOLD": "0.1",
        }
    )
    assert settings.data_dir.is_absolute()
    assert settings.quarantine_threshold == 0.1
    with pytest.raises(SettingsError, match="between 0 and 1"):
        Settings.from_env({"NOEGLETAL_ENV": "demo", "NOEGLETAL_QUARANTINE_THRESHOLD": "5"})
    with pytest.raises(SettingsError, match="'demo' or 'production'"):
        Settings.from_env({"NOEGLETAL_ENV": "test"})


def test_duckdb_memory_limit_defaults_to_2gb_and_is_read_from_the_environment():
    assert Settings.from_env({"NOEGLETAL_ENV": "demo"}).duckdb_memory_limit == "2GB"
    limited = Settings.from_env({"NOEGLETAL_ENV": "demo", "NOEGLETAL_DUCKDB_MEMORY_LIMIT": "1GB"})
    assert limited.duckdb_memory_limit == "1GB"


def test_provisional_days_default_to_60_and_are_read_from_the_environment():
    assert Settings.from_env({"NOEGLETAL_ENV": "demo"}).provisional_days == 60
    env = {"NOEGLETAL_ENV": "demo", "NOEGLETAL_PROVISIONAL_DAYS": "45"}
    assert Settings.from_env(env).provisional_days == 45
    with pytest.raises(SettingsError, match="whole number"):
        Settings.from_env({"NOEGLETAL_ENV": "demo", "NOEGLETAL_PROVISIONAL_DAYS": "two months"})
