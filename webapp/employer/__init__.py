"""The employer blueprint: the queue, case pages, decisions, missing choices and reporting."""
