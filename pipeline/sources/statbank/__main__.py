"""`python -m pipeline.sources.statbank refresh …` (see command.py)."""

from pipeline.sources.statbank.command import main

raise SystemExit(main())
