"""Retirement (issue 9): the employer's monitoring and pension approval, the employee's application."""
