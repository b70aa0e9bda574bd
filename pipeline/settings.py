"""Run settings, read once from the environment (the README lists every variable)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

Environment = Literal["demo", "production"]

# Public on purpose: it only ever protects synthetic demo data. A production run refuses it.
DEMO_PSEUDONYM_KEY = b"noegletal-demo-key--not-a-secret--synthetic-data-only"

DEFAULT_QUARANTINE_THRESHOLD = 0.05
DEFAULT_SUPPRESSION_THRESHOLD = 5
DEFAULT_STATBANK_URL = "https://api.statbank.dk/v1"
# The nightly refresh fetches a StatBank table only when its snapshot is older than this. The
# four tables change at most quarterly (FOLK1A) or yearly (ANBAAR12, ANBAAR9, BU43), so a week
# picks up a new release within days and spares DST's API four full downloads every night.
DEFAULT_STATBANK_MAX_AGE_HOURS = 168.0
DEFAULT_DUCKDB_MEMORY_LIMIT = "2GB"
# A figure for a cut-off date fewer than this many days before its delivery's date is
# provisional (foreløbig, SPEC §13): case systems register late.
DEFAULT_PROVISIONAL_DAYS = 60


class SettingsError(RuntimeError):
    """The environment does not describe a run that may start."""


@dataclass(frozen=True)
class Settings:
    landing_dir: Path
    data_dir: Path
    environment: Environment
    pseudonym_key_or_none: bytes | None = field(repr=False, default=None)
    quarantine_threshold: float = DEFAULT_QUARANTINE_THRESHOLD
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    statbank_url: str = DEFAULT_STATBANK_URL
    statbank_max_age: timedelta = timedelta(hours=DEFAULT_STATBANK_MAX_AGE_HOURS)
    # When set, the nightly refresh never touches the network and the runs use the snapshots
    # as they are. On by default in demo mode, so the synthetic snapshots are never replaced.
    statbank_offline: bool = False
    # DuckDB's own default is 80 % of the machine's memory; see profiles.yml.
    duckdb_memory_limit: str = DEFAULT_DUCKDB_MEMORY_LIMIT
    provisional_days: int = DEFAULT_PROVISIONAL_DAYS

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse" / "noegletal.duckdb"

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    @property
    def feedback_dir(self) -> Path:
        """The municipalities' own feedback reports: never under serving/ (SPEC §13)."""
        return self.data_dir / "feedback"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster"

    @property
    def statbank_dir(self) -> Path:
        return self.landing_dir / "statbank"

    def make_dirs(self) -> None:
        """Create the folders the pipeline writes to (never the landing area: that is input;
        never serving/, which the first publication makes as a link to its release)."""
        for path in (self.warehouse_path.parent, self.dagster_home):
            path.mkdir(parents=True, exist_ok=True)

    @property
    def pseudonym_key(self) -> bytes:
        """The HMAC key; asking for it in production without one refuses the run."""
        if self.pseudonym_key_or_none is None:
            raise SettingsError(
                "NOEGLETAL_PSEUDONYM_KEY is not set, and a production run will not start "
                "without it: CPR numbers are pseudonymised with that secret. Set it, or set "
                "NOEGLETAL_ENV=demo to run on the synthetic demo data with the public demo key."
            )
        return self.pseudonym_key_or_none

    @property
    def uses_demo_key(self) -> bool:
        return self.pseudonym_key_or_none == DEMO_PSEUDONYM_KEY

    @classmethod
    def from_env(cls, environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        environment = env.get("NOEGLETAL_ENV", "production").strip().lower()
        if environment not in ("demo", "production"):
            raise SettingsError(
                f"NOEGLETAL_ENV must be 'demo' or 'production', not {environment!r}."
            )
        key_text = env.get("NOEGLETAL_PSEUDONYM_KEY", "")
        key: bytes | None = None
        if key_text:
            key = key_text.encode("utf-8")
            if len(key) < 32:
                raise SettingsError(
                    "NOEGLETAL_PSEUDONYM_KEY is shorter than 32 bytes; use a long random secret "
                    "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
                )
            if environment == "production" and key == DEMO_PSEUDONYM_KEY:
                raise SettingsError("The public demo key cannot be used in production.")
        elif environment == "demo":
            key = DEMO_PSEUDONYM_KEY
        return cls(
            # Absolute, because dbt runs in its project folder, not in the caller's.
            landing_dir=Path(env.get("NOEGLETAL_LANDING", "data/landing")).resolve(),
            data_dir=data_dir_from_env(env),
            environment=environment,  # type: ignore[arg-type]
            pseudonym_key_or_none=key,
            quarantine_threshold=_fraction(env, "NOEGLETAL_QUARANTINE_THRESHOLD"),
            suppression_threshold=_int(
                env, "NOEGLETAL_SUPPRESSION_THRESHOLD", DEFAULT_SUPPRESSION_THRESHOLD
            ),
            statbank_url=env.get("NOEGLETAL_STATBANK_URL", DEFAULT_STATBANK_URL).rstrip("/"),
            statbank_max_age=timedelta(
                hours=_hours(
                    env, "NOEGLETAL_STATBANK_MAX_AGE_HOURS", DEFAULT_STATBANK_MAX_AGE_HOURS
                )
            ),
            statbank_offline=_flag(
                env, "NOEGLETAL_STATBANK_OFFLINE", default=environment == "demo"
            ),
            duckdb_memory_limit=env.get("NOEGLETAL_DUCKDB_MEMORY_LIMIT")
            or DEFAULT_DUCKDB_MEMORY_LIMIT,
            provisional_days=_int(env, "NOEGLETAL_PROVISIONAL_DAYS", DEFAULT_PROVISIONAL_DAYS),
        )


def data_dir_from_env(env: os._Environ[str] | dict[str, str] | None = None) -> Path:
    """The data directory alone, for code that must know it before a run's settings are read
    (dbt's manifest, which the Dagster definitions need when they are imported)."""
    env = os.environ if env is None else env
    return Path(env.get("NOEGLETAL_DATA_DIR", "data")).resolve()


def _fraction(env: os._Environ[str] | dict[str, str], name: str) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return DEFAULT_QUARANTINE_THRESHOLD
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a fraction such as 0.05, not {raw!r}.") from exc
    if not 0 <= value <= 1:
        raise SettingsError(f"{name} must lie between 0 and 1, not {raw!r}.")
    return value


def _int(env: os._Environ[str] | dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from exc
    if value < 0:
        raise SettingsError(f"{name} must not be negative, not {raw!r}.")
    return value


def _hours(env: os._Environ[str] | dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number of hours such as 24, not {raw!r}.") from exc
    if not value >= 0 or value == float("inf"):
        raise SettingsError(f"{name} must be a finite number of hours >= 0, not {raw!r}.")
    return value


_TRUE = ("1", "true", "yes", "ja", "on")
_FALSE = ("0", "false", "no", "nej", "off")


def _flag(env: os._Environ[str] | dict[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")
