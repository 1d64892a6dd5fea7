"""The fictional demo employers. Organisation numbers carry a valid check digit; the serial part
(999x / 9990x) is chosen to stand out as made up."""

from __future__ import annotations

from dataclasses import dataclass

from webapp.demo.identity import make_org_number


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    org_number: str


ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("exempelby", "Exempelby kommun", make_org_number("212000999")),
    DemoOrganisation("exempelstad", "Exempelstad kommun", make_org_number("212000998")),
    DemoOrganisation("exempelby-energi", "Exempelby Energi AB", make_org_number("559999000")),
)
ORGANISATION_BY_KEY = {organisation.key: organisation for organisation in ORGANISATIONS}
