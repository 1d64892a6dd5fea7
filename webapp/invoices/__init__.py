"""Contribution invoices of an employer: periods, specifications, downloads, issuing."""
