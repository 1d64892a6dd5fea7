"""The individual list of a saved liability calculation: search by name, sort, pages, downloads."""

from __future__ import annotations

from sqlalchemy import and_, func, literal
from sqlmodel import Session, select

from webapp.models import LiabilityCalculation, LiabilityRow, Person

PAGE_SIZE = 50
_TOTAL = LiabilityRow.before_1998 + LiabilityRow.from_1998
SORTS = {
    "name": (Person.family_name, Person.given_name, Person.id),
    "born": (LiabilityRow.birth_date, Person.id),
    "reserve": (_TOTAL.desc(), Person.id),
    "reserve_asc": (_TOTAL, Person.id),
    "category": (LiabilityRow.category, Person.family_name, Person.given_name, Person.id),
}


def _query(calculation: LiabilityCalculation, term: str, sort: str):
    query = (select(LiabilityRow, Person).join(Person, Person.id == LiabilityRow.person_id)
             .where(LiabilityRow.calculation_id == calculation.id))
    words = [word.lower().replace("%", "").replace("_", "") for word in term.split()[:4]]
    if any(words):
        full_name = func.lower(Person.given_name + literal(" ") + Person.family_name)
        query = query.where(and_(*(full_name.like(f"%{word}%") for word in words if word)))
    return query.order_by(*SORTS.get(sort, SORTS["name"]))


def rows_page(session: Session, calculation: LiabilityCalculation, term: str = "", sort: str = "name",
              page: int = 1) -> tuple[list[tuple[LiabilityRow, Person]], int]:
    query = _query(calculation, term, sort)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return list(rows), total


def all_rows(session: Session, calculation: LiabilityCalculation, term: str = "", sort: str = "name"):
    return session.exec(_query(calculation, term, sort)).all()
