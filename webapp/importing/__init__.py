"""Reading files from payroll systems. Pure Python: no Flask, no database."""
