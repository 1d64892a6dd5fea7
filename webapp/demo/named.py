"""The named, clearly fictional test persons that the test identity provider lists.

Each covers one case of the 2023 choice or one staff role, so that a tester can log in as
exactly the situation they want to see. The demo data command creates them with the histories
their scenario describes (webapp/demo/named_histories.py); they are marked ``is_test_person`` like
every demo identity. Scenario codes and their expected eligibility: webapp/demo/scenarios.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class NamedTestPerson:
    pnr: str  # 12 digits, valid check digit, serial numbers 98x-99x
    given_name: str
    family_name: str
    scenario: str  # the case the demo data gives this person
    description: object  # lazy translated text shown on the test identity provider's page
    organisation: str | None  # key of the demo organisation employing the person
    staff_role: str | None = None  # handler | approver at ``organisation``


NAMED_TEST_PERSONS: tuple[NamedTestPerson, ...] = (
    NamedTestPerson("196503129824", "Anna", "Andersson", "eligible_salary",
                    _l("May choose: monthly paid, salary above 7.5 income base amounts"), "exempelby"),
    NamedTestPerson("197208159835", "Bertil", "Berg", "eligible_hourly",
                    _l("May choose: hourly paid, above the limit when converted to full time"), "exempelby"),
    NamedTestPerson("198001019846", "Cecilia", "Claesson", "eligible_on_leave",
                    _l("May choose: on leave over the turn of 2022/2023"), "exempelby"),
    NamedTestPerson("197507079908", "Ingrid", "Isaksson", "eligible_livranta",
                    _l("May choose: earned livränta, salary now below the limit"), "exempelstad"),
    NamedTestPerson("199006209853", "David", "Dahl", "born_after_1985",
                    _l("May not choose: born 1990, already in AKAP-KR"), "exempelby"),
    NamedTestPerson("195505059864", "Eva", "Ek", "born_before_1958",
                    _l("May not choose: born 1955, stays in KAP-KL"), "exempelby"),
    NamedTestPerson("196009099877", "Fredrik", "Falk", "below_limit",
                    _l("May not choose: salary below 7.5 income base amounts, moved to AKAP-KR"), "exempelby"),
    NamedTestPerson("197002029887", "Gunilla", "Gran", "pension_granted",
                    _l("May not choose: pension granted before 1 April 2023"), "exempelstad"),
    NamedTestPerson("196811119897", "Hans", "Holm", "left_2022",
                    _l("May not choose: left employment in October 2022"), "exempelstad"),
    NamedTestPerson("196704149951", "Nils", "Nilsson", "sickness_compensation",
                    _l("May not choose: on sickness compensation"), "exempelstad"),
    NamedTestPerson("197110219826", "Olof", "Olsson", "chose_akap_kr",
                    _l("Has chosen AKAP-KR; the choice waits in the employer's queue"), "exempelby"),
    NamedTestPerson("197803039911", "Johan", "Jansson", "staff",
                    _l("Handler at Exempelby kommun"), "exempelby", "handler"),
    NamedTestPerson("198204049921", "Karin", "Karlsson", "staff",
                    _l("Approver at Exempelby kommun"), "exempelby", "approver"),
    NamedTestPerson("198506069932", "Lars", "Lind", "staff",
                    _l("Approver at Exempelstad kommun"), "exempelstad", "approver"),
    NamedTestPerson("197912129918", "Petra", "Pettersson", "staff",
                    _l("Handler at Exempelstad kommun"), "exempelstad", "handler"),
    NamedTestPerson("197605179873", "Sven", "Sjöberg", "staff",
                    _l("Approver at Exempelby Energi AB"), "exempelby-energi", "approver"),
    NamedTestPerson("198808089943", "Maja", "Mattsson", "no_employment",
                    _l("Not employed by any of our employers"), None),
)
