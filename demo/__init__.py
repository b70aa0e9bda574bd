"""Deterministic synthetic demo data: municipal deliveries (SPEC §8) and StatBank files (§6)."""

from demo.generate import write_demo_data
from demo.summary import DemoSummary

__all__ = ["DemoSummary", "write_demo_data"]
