"""Clearly fictional identities: personal identity numbers with test serial numbers, organisation
numbers, and a fixed list of common Swedish names.

Personal identity numbers and organisation numbers carry the Luhn check digit (Skatteverket, SKV 704),
so they pass the same validation as real ones; the serial numbers 980-999 mark demo persons.
"""

from __future__ import annotations

from datetime import date

TEST_SERIALS = range(980, 1000)  # the three-digit serial (birth number) of every demo person


def luhn_check_digit(digits: str) -> int:
    """Check digit over the ten-digit form without its last digit (weights 2,1,2,1,...)."""
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def is_valid_pnr(pnr: str) -> bool:
    """12 digits, a real calendar date and a correct check digit."""
    if len(pnr) != 12 or not pnr.isdigit():
        return False
    try:
        date(int(pnr[:4]), int(pnr[4:6]), int(pnr[6:8]))
    except ValueError:
        return False
    return luhn_check_digit(pnr[2:11]) == int(pnr[11])


def make_pnr(birth_date: date, serial: int) -> str:
    """The 12-digit personal identity number for a birth date and a three-digit serial."""
    body = f"{birth_date:%Y%m%d}{serial:03d}"
    return body + str(luhn_check_digit(body[2:]))


def make_org_number(first_nine: str) -> str:
    """A ten-digit organisation number with its check digit."""
    return first_nine + str(luhn_check_digit(first_nine))


def is_valid_org_number(number: str) -> bool:
    return len(number) == 10 and number.isdigit() and luhn_check_digit(number[:9]) == int(number[9])


GIVEN_NAMES_FEMALE = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin", "Sofia",
    "Linda", "Marie", "Elin", "Hanna", "Jenny", "Annika", "Ida", "Helena", "Susanne", "Johanna",
    "Camilla", "Carina", "Monica", "Birgitta", "Julia", "Elisabeth", "Therese", "Frida", "Amanda",
)
GIVEN_NAMES_MALE = (
    "Lars", "Mikael", "Anders", "Johan", "Erik", "Per", "Karl", "Peter", "Thomas", "Jan", "Daniel",
    "Fredrik", "Hans", "Andreas", "Stefan", "Mats", "Marcus", "Magnus", "Jonas", "Oskar", "Mattias",
    "Niklas", "Alexander", "Björn", "Henrik", "Patrik", "Ulf", "Viktor", "Simon", "Gustav",
)
FAMILY_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg",
    "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
    "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Ali", "Engström",
    "Mohammed", "Eklund", "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson",
    "Holm", "Wikström", "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg",
    "Arvidsson", "Löfgren", "Söderberg", "Nyberg",
)
