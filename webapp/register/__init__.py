"""The employment and salary register for employers: by hand and by file (/arbetsgivare/register)."""
