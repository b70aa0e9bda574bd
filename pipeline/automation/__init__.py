"""Running unattended: the nightly schedule, the sensors, alerts and freshness checks."""
