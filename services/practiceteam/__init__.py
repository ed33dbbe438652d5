"""Praktijkteam support requests from municipalities: intake, triage, planning and follow-up."""
