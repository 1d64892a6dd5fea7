"""The employer's queue: choices and late-choice requests of the staff member's organisations.

Every query here takes the organisation ids the logged-in staff member holds a role in and never
returns a row outside them. Search terms arrive from a POST form and are held in the session under
an opaque id, so a personal identity number is never part of a URL or a log line."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, literal
from sqlmodel import Session, select

from webapp.models import Choice, LateChoiceRequest, Organisation, Person

STATUSES = ("received", "approved", "rejected", "reported")
AGREEMENTS = ("KAP-KL", "AKAP-KR")
TIMINGS = ("late", "on_time")
LATE_STATUSES = ("pending", "granted", "refused")
PAGE_SIZE = 50
SWEDEN = ZoneInfo("Europe/Stockholm")

# Sortable columns of the queue table; the first value is the visible column, ties break on id.
SORT_COLUMNS = {
    "received": (Choice.chosen_at,),
    "reference": (Choice.reference,),
    "name": (Person.family_name, Person.given_name),
    "pnr": (Person.pnr,),
    "organisation": (Organisation.name,),
    "agreement": (Choice.agreement,),
    "late": (Choice.is_late,),
    "status": (Choice.status,),
}


@dataclass(frozen=True)
class QueueQuery:
    """What the queue shows, parsed from the query string of a shareable URL."""

    status: str = "received"  # one of STATUSES, or "all"
    agreement: str = ""  # one of AGREEMENTS, or "" for both
    timing: str = ""  # late | on_time | ""
    received_from: date | None = None
    received_to: date | None = None
    sort: str = "received"
    direction: str = "asc"
    page: int = 1
    search: str = ""  # opaque id of a search term held in the session

    def args(self, **changes) -> dict[str, str]:
        """Query-string arguments for this view with some values changed (for links)."""
        query = replace(self, **changes)
        values = {
            "status": query.status,
            "agreement": query.agreement,
            "timing": query.timing,
            "from": query.received_from.isoformat() if query.received_from else "",
            "to": query.received_to.isoformat() if query.received_to else "",
            "sort": query.sort,
            "dir": query.direction,
            "page": str(query.page) if query.page != 1 else "",
            "search": query.search,
        }
        defaults = QueueQuery()
        return {
            key: value
            for key, value in values.items()
            if value and not (key == "status" and value == defaults.status)
            and not (key == "sort" and value == defaults.sort)
            and not (key == "dir" and value == defaults.direction)
        }


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_query(args: Mapping[str, str]) -> QueueQuery:
    """Unknown or malformed values fall back to the defaults instead of failing."""
    status = args.get("status", "received")
    try:
        page = max(1, min(int(args.get("page", "1")), 1_000_000))
    except ValueError:
        page = 1
    return QueueQuery(
        status=status if status in (*STATUSES, "all") else "received",
        agreement=args.get("agreement", "") if args.get("agreement") in AGREEMENTS else "",
        timing=args.get("timing", "") if args.get("timing") in TIMINGS else "",
        received_from=_date(args.get("from")),
        received_to=_date(args.get("to")),
        sort=args.get("sort", "received") if args.get("sort") in SORT_COLUMNS else "received",
        direction="desc" if args.get("dir") == "desc" else "asc",
        page=page,
        search=args.get("search", "")[:40],
    )


# --- search terms held in the session -------------------------------------------------------
# The session cookie is signed, not secret, and must never carry a personal identity number in
# the clear: the term is encrypted (Fernet, key derived from the app's secret key) under an opaque
# id, and only that id goes into the URL.

_MAX_SEARCHES = 10


def _fernet(secret_key: str):
    from cryptography.fernet import Fernet

    digest = hashlib.sha256(b"pensionsval employer search\0" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def remember_search(store: dict, term: str, secret_key: str) -> str:
    """Keep the term encrypted in ``store`` (the Flask session) and return its opaque id."""
    searches = dict(store.get("employer_searches", {}))
    search_id = secrets.token_urlsafe(9)
    term = "".join(ch for ch in term if ch.isprintable()).strip()[:100]
    searches[search_id] = _fernet(secret_key).encrypt(term.encode()).decode()
    store["employer_searches"] = dict(list(searches.items())[-_MAX_SEARCHES:])
    return search_id


def search_term(store: Mapping, search_id: str, secret_key: str) -> str | None:
    from cryptography.fernet import InvalidToken

    token = store.get("employer_searches", {}).get(search_id) if search_id else None
    if not token:
        return None
    try:
        return _fernet(secret_key).decrypt(token.encode(), ttl=8 * 3600).decode()
    except InvalidToken:
        return None


def _search_condition(term: str):
    digits = "".join(ch for ch in term if ch.isdigit())
    if digits and len(digits) == len("".join(ch for ch in term if ch not in " -+")):
        # A personal identity number, with or without century and separator.
        if len(digits) == 12:
            return Person.pnr == digits
        if len(digits) == 10:
            return Person.pnr.like("__" + digits)
        return Person.pnr.like(digits + "%")
    words = [word.lower() for word in term.split() if word]
    full_name = func.lower(Person.given_name + literal(" ") + Person.family_name)
    return and_(*(full_name.like("%" + word.replace("%", "").replace("_", "") + "%") for word in words))


# --- the queue of choices --------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    choice: Choice
    name: str
    pnr: str
    organisation: str


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int]
    pending_late_requests: int


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=SWEDEN).astimezone(UTC)


def queue_page(session: Session, org_ids: Collection[int], query: QueueQuery, term: str | None) -> QueuePage:
    org_ids = list(org_ids)
    conditions = [Choice.organisation_id.in_(org_ids)]
    if query.status != "all":
        conditions.append(Choice.status == query.status)
    if query.agreement:
        conditions.append(Choice.agreement == query.agreement)
    if query.timing:
        conditions.append(Choice.is_late == (query.timing == "late"))
    if query.received_from:
        conditions.append(Choice.chosen_at >= _day_start(query.received_from))
    if query.received_to:
        conditions.append(Choice.chosen_at < _day_start(query.received_to + timedelta(days=1)))
    if term:
        conditions.append(_search_condition(term))

    count_query = select(func.count()).select_from(Choice).where(*conditions)
    if term:
        count_query = count_query.join(Person, Person.id == Choice.person_id)
    total = session.exec(count_query).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(query.page, pages)
    columns = SORT_COLUMNS[query.sort]
    order = [c.desc() if query.direction == "desc" else c.asc() for c in columns]
    order.append(Choice.id.desc() if query.direction == "desc" else Choice.id.asc())
    # Deferred join: page through narrow (index-backed) rows first, then load the page's 50 rows
    # with their person and organisation, so deep pages do not drag the signed texts along.
    ids_query = select(Choice.id).where(*conditions)
    if term or query.sort in ("name", "pnr"):
        ids_query = ids_query.join(Person, Person.id == Choice.person_id)
    if query.sort == "organisation":
        ids_query = ids_query.join(Organisation, Organisation.id == Choice.organisation_id)
    ids = list(session.exec(ids_query.order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    loaded = session.exec(
        select(Choice, Person.given_name, Person.family_name, Person.pnr, Organisation.name)
        .join(Person, Person.id == Choice.person_id)
        .join(Organisation, Organisation.id == Choice.organisation_id)
        .where(Choice.id.in_(ids))
    ).all() if ids else []
    by_id = {
        choice.id: QueueRow(choice=choice, name=f"{given} {family}", pnr=pnr, organisation=org_name)
        for choice, given, family, pnr, org_name in loaded
    }
    rows = [by_id[choice_id] for choice_id in ids if choice_id in by_id]
    return QueuePage(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        counts=status_counts(session, org_ids),
        pending_late_requests=session.exec(
            select(func.count())
            .select_from(LateChoiceRequest)
            .where(LateChoiceRequest.organisation_id.in_(org_ids), LateChoiceRequest.status == "pending")
        ).one(),
    )


def status_counts(session: Session, org_ids: Collection[int]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    rows = session.exec(
        select(Choice.status, func.count())
        .where(Choice.organisation_id.in_(list(org_ids)))
        .group_by(Choice.status)
    ).all()
    for status, count in rows:
        counts[status] = count
    return counts


def choice_in_scope(session: Session, org_ids: Collection[int], choice_id: int) -> Choice | None:
    return session.exec(
        select(Choice).where(Choice.id == choice_id, Choice.organisation_id.in_(list(org_ids)))
    ).first()


# --- late-choice requests ------------------------------------------------------------------


@dataclass(frozen=True)
class LateRow:
    request: LateChoiceRequest
    name: str
    pnr: str
    organisation: str


def late_requests(session: Session, org_ids: Collection[int], status: str = "pending") -> list[LateRow]:
    query = (
        select(LateChoiceRequest, Person.given_name, Person.family_name, Person.pnr, Organisation.name)
        .join(Person, Person.id == LateChoiceRequest.person_id)
        .join(Organisation, Organisation.id == LateChoiceRequest.organisation_id)
        .where(LateChoiceRequest.organisation_id.in_(list(org_ids)))
        .order_by(LateChoiceRequest.requested_at, LateChoiceRequest.id)
    )
    if status in LATE_STATUSES:
        query = query.where(LateChoiceRequest.status == status)
    return [
        LateRow(request=req, name=f"{given} {family}", pnr=pnr, organisation=org)
        for req, given, family, pnr, org in session.exec(query).all()
    ]


def late_request_in_scope(session: Session, org_ids: Collection[int], request_id: int) -> LateChoiceRequest | None:
    return session.exec(
        select(LateChoiceRequest).where(
            LateChoiceRequest.id == request_id, LateChoiceRequest.organisation_id.in_(list(org_ids))
        )
    ).first()


def late_request_of(session: Session, org_ids: Collection[int], person_id: int, campaign: str):
    """The person's late-choice request in the campaign, if one of the organisations has it."""
    return session.exec(
        select(LateChoiceRequest).where(
            LateChoiceRequest.person_id == person_id,
            LateChoiceRequest.campaign == campaign,
            LateChoiceRequest.organisation_id.in_(list(org_ids)),
        )
    ).first()


def choice_of(session: Session, org_ids: Collection[int], person_id: int, campaign: str) -> Choice | None:
    """The person's choice in the campaign, if one of the organisations has it."""
    return session.exec(
        select(Choice).where(
            Choice.person_id == person_id, Choice.campaign == campaign, Choice.organisation_id.in_(list(org_ids))
        )
    ).first()
