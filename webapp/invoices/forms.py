"""Forms of the invoice pages."""

from __future__ import annotations

from flask_wtf import FlaskForm


class IssueForm(FlaskForm):
    """Issuing a period's invoice: no fields, only the CSRF token."""
