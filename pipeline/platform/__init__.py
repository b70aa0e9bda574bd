"""Dagster instance plumbing: the instance folder and its dagster.yaml (instance.py), the
pooled event log storage, the console's progress logger and the clean-up after a killed
command (recovery.py). Optional: Dagster's defaults work without the event log storage."""
