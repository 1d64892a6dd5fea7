"""Pension liability pages (RIPS) for employers."""
