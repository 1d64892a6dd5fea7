"""Pre-calculations for employers (/arbetsgivare/forhandsberakning): simulate an employee's pension,
save it, reopen it and produce the pension letter."""
