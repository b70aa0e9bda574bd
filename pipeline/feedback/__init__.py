"""Feedback to the municipality after each delivery (tilbagemelding, SPEC §13): report.py
writes it, rules.py words the quarantine's rules in Danish."""
