"""Figures on claims: measures, quantities, timelines and due dates (issue 13)."""
