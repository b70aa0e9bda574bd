"""nøgletal: municipal deliveries and Danmarks Statistik tables in, key indicators out."""

__version__ = "0.1.0"
