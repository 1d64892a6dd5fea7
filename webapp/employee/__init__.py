"""The employee's pages: my pension and the KAP-KL / AKAP-KR comparison."""
