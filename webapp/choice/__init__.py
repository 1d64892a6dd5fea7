"""The one-time 2023 choice: eligibility, choosing, signing, receipt and late-choice requests."""
