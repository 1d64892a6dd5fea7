"""Synthetic demo data: a fictional municipality and region with their employees and staff."""
