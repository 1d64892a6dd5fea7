"""The pension liability service: who belongs to an organisation's liability, what a saved
calculation stores, and that it reopens unchanged after the register changes."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from domain import Explanation, MissingParameter, ParameterUse, round_krona
from domain import liability as rips
from tests.choice_factories import decide, sign_choice
from tests.factories import add_earned_right, add_salaries, make_employee, make_employment, make_pnr
from tests.liability_support import AT, calculate, liability_world
from webapp.models import AuditEntry, LiabilityRow, SalaryYear
from webapp.services import liability
from webapp.services import liability_codec as codec


@pytest.mark.parametrize(("serial", "sex"), [(1, "M"), (3, "M"), (9, "M"), (2, "F"), (4, "F"), (0, "F")])
def test_sex_is_read_from_the_second_to_last_digit_of_the_personal_identity_number(serial, sex):
    twelve = make_pnr(date(1965, 3, 12), 980 + serial)  # serial 98N: the gender digit is N
    assert liability.sex_from_pnr(twelve) == sex
    assert liability.sex_from_pnr(f"{twelve[2:8]}-{twelve[8:]}") == sex  # the ten-digit form
    assert liability.sex_from_pnr("12345") is None


def test_members_are_active_paid_up_and_pensioners_of_the_organisation_only(db):
    world = liability_world(db)
    members = {m.person.id: m.status for m in liability.members(db, world.org.id, AT)}
    assert members == {world.active.id: "active", world.paid_up.id: "paid_up", world.pensioner.id: "pensioner"}
    # The person who moved belongs to the liability of the employer they work for now.
    assert {m.person.id: m.status for m in liability.members(db, world.other.id, AT)} == {world.moved.id: "active"}


def test_before_the_employment_ended_the_paid_up_person_was_active_and_before_it_began_absent(db):
    world = liability_world(db)
    at_2010 = {m.person.id: m.status for m in liability.members(db, world.org.id, date(2010, 12, 31))}
    assert at_2010[world.paid_up.id] == "active"
    assert at_2010[world.pensioner.id] == "active"  # the pension was granted in 2020
    late = make_employee(db, world.org, birth_date=date(1990, 1, 1), start=date(2023, 2, 1))
    assert late.id not in {m.person.id for m in liability.members(db, world.org.id, AT)}


def test_a_former_employee_without_any_right_is_left_out(db):
    world = liability_world(db)
    # Born 1996, employed for half of 2019 at a low salary: no IPR, no livränta.
    short = make_employee(db, world.org, birth_date=date(1996, 5, 5), start=date(2019, 1, 1), end=date(2019, 6, 30),
                          salaries={2019: 90_000})
    calculation = calculate(db, world)
    stored = {row.person_id for row in db.exec(select(LiabilityRow).where(
        LiabilityRow.calculation_id == calculation.id))}
    assert short.id not in stored
    assert stored == {world.active.id, world.paid_up.id, world.pensioner.id}


def test_the_stored_totals_are_the_sum_of_the_stored_rows(db):
    world = liability_world(db)
    calculation = calculate(db, world)
    rows = db.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == calculation.id)).all()
    totals = liability.totals_of(calculation)
    assert totals.persons == calculation.persons == len(rows) == 3
    assert totals.before_1998 == sum(Decimal(r.before_1998) for r in rows)
    assert totals.from_1998 == sum(Decimal(r.from_1998) for r in rows)
    assert totals.before_1998 > 0 and totals.from_1998 > 0
    for category, (before, after) in totals.by_category.items():
        assert before == sum(Decimal(r.before_1998) for r in rows if r.category == category)
        assert after == sum(Decimal(r.from_1998) for r in rows if r.category == category)
    # Särskild löneskatt is taken on the organisation's totals (24.26 %, rounded to the krona).
    rate = liability.assumptions_of(calculation).payroll_tax_rate
    assert rate == Decimal("0.2426")
    assert totals.payroll_tax_before_1998 == round_krona(totals.before_1998 * rate)
    assert totals.payroll_tax_from_1998 == round_krona(totals.from_1998 * rate)
    for row in rows:
        assert Decimal(row.payroll_tax_from_1998) == round_krona(Decimal(row.from_1998) * rate)
    # The whole stored totals (the expected payments too) are the domain's sum of the persons.
    exact = rips.total_liability(rips.person_reserve(b, liability.assumptions_of(calculation))
                                 for b in liability.bases_of(db, calculation))
    assert totals == exact and sum(totals.expected_payments.values()) > 0
    per_row = {}
    for row in rows:
        for year, amount in codec.loads(row.expected_payments).items():
            per_row[year] = per_row.get(year, Decimal(0)) + amount
    assert totals.expected_payments == {y: round_krona(v) for y, v in sorted(per_row.items()) if round_krona(v)}


def test_the_ipr_1997_is_the_contingent_liability_and_the_livranta_the_provision(db):
    world = liability_world(db)
    calculation = calculate(db, world)
    view = liability.person_in(db, calculation, world.active.id)
    by_code = {part.code: part for part in view.parts}
    assert by_code["ipr_1997"].earned_before_1998 and by_code["ipr_1997"].reserve == Decimal(view.row.before_1998)
    assert not by_code["livranta"].earned_before_1998
    assert Decimal(view.row.from_1998) == sum(p.reserve for p in view.parts if not p.earned_before_1998)


def test_a_saved_calculation_reopens_unchanged_after_the_register_changes(db):
    world = liability_world(db)
    calculation = calculate(db, world)
    saved_totals = calculation.totals
    saved_rows = {r.person_id: (r.before_1998, r.from_1998, r.basis) for r in db.exec(
        select(LiabilityRow).where(LiabilityRow.calculation_id == calculation.id))}
    # A year later: higher salaries, a larger IPR, a new employee and a new employment.
    for salary in db.exec(select(SalaryYear).where(SalaryYear.person_id == world.active.id)):
        salary.amount = Decimal(salary.amount) * 2
        db.add(salary)
    db.commit()
    add_earned_right(db, world.paid_up, "ipr_1997_above_ceiling", 5_000)
    make_employee(db, world.org, birth_date=date(1960, 1, 1), start=date(1990, 1, 1), ipr_1997=40_000)
    make_employment(db, world.pensioner, world.org, start=date(2022, 6, 1), end=date(2022, 8, 31))
    db.expire_all()

    reopened = liability.calculation_of(db, world.org.id, calculation.id)
    assert reopened.totals == saved_totals
    rows = db.exec(select(LiabilityRow).where(LiabilityRow.calculation_id == calculation.id)).all()
    assert {r.person_id: (r.before_1998, r.from_1998, r.basis) for r in rows} == saved_rows
    # The person's page recomputes from the saved basis, not from the register: the same figures.
    view = liability.person_in(db, reopened, world.active.id)
    assert view.unchanged
    assert view.reserve.total == Decimal(saved_rows[world.active.id][0]) + Decimal(saved_rows[world.active.id][1])
    # What-if from the saved bases with the saved assumptions gives the saved totals.
    again = liability.what_if(db, reopened, liability.assumptions_of(reopened))
    saved = liability.totals_of(reopened)
    assert (again.before_1998, again.from_1998, again.total_with_tax) == (
        saved.before_1998, saved.from_1998, saved.total_with_tax)
    # A new calculation does see the changes.
    fresh = calculate(db, world)
    assert liability.totals_of(fresh).total > saved.total
    assert fresh.persons == calculation.persons + 1


def test_what_if_with_a_higher_discount_rate_lowers_the_total_and_stores_nothing(db):
    world = liability_world(db)
    calculation = calculate(db, world)
    saved = liability.assumptions_of(calculation)
    rows_before = len(db.exec(select(LiabilityRow)).all())
    higher = liability.what_if(db, calculation, rips.change_assumptions(saved, discount_rate=Decimal("0.03")))
    assert higher.total < liability.totals_of(calculation).total
    exact = rips.total_liability(rips.person_reserve(b, rips.change_assumptions(saved, discount_rate=Decimal("0.03")))
                                 for b in liability.bases_of(db, calculation))
    assert higher.total == exact.total
    assert len(db.exec(select(LiabilityRow)).all()) == rows_before


def test_the_change_since_the_previous_calculation_adds_up_to_the_difference(db):
    world = liability_world(db)
    first = calculate(db, world, at=date(2021, 12, 31))
    second = calculate(db, world, at=date(2022, 12, 31))
    assert liability.previous_of(db, second).id == first.id
    assert liability.previous_of(db, first) is None
    change = liability.change_since(db, first, second)
    difference = liability.totals_of(second).total - liability.totals_of(first).total
    assert change.total == difference
    assert sum(step.total for step in change.steps) == difference
    assert change.step("interest").total > 0  # a year closer to the payments


def test_an_akapkr_choice_values_the_ipr_2022_instead_of_the_livranta_from_2023(db):
    world = liability_world(db)
    chosen = make_employee(db, world.org, birth_date=date(1968, 4, 4), start=date(2005, 1, 1),
                           salaries={y: 720_000 for y in range(2005, 2024)})
    decide(db, sign_choice(db, chosen, "AKAP-KR"), "approved")
    waiting = make_employee(db, world.org, birth_date=date(1968, 5, 5), start=date(2005, 1, 1),
                            salaries={y: 720_000 for y in range(2005, 2024)})
    sign_choice(db, waiting, "AKAP-KR")  # received, not yet approved
    calculation = calculate(db, world, at=date(2023, 12, 31))
    codes = {pid: {p.code for p in liability.person_in(db, calculation, pid).parts} for pid in (chosen.id, waiting.id)}
    assert "akapkr_ipr_2022" in codes[chosen.id] and "livranta" not in codes[chosen.id]
    assert "livranta" in codes[waiting.id] and "akapkr_ipr_2022" not in codes[waiting.id]
    # Before the move took effect the chosen person's rights were KAP-KL livränta.
    before = calculate(db, world, at=date(2022, 12, 31))
    assert "livranta" in {p.code for p in liability.person_in(db, before, chosen.id).parts}


def test_a_date_without_rips_assumptions_fails_and_stores_nothing(db):
    world = liability_world(db)
    with pytest.raises(liability.CalculationFailed):
        calculate(db, world, at=date(2005, 12, 31))
    db.rollback()
    assert liability.calculations_of(db, world.org.id) == []


def test_making_a_calculation_is_in_the_audit_log(db):
    world = liability_world(db)
    calculation = calculate(db, world)
    entries = db.exec(select(AuditEntry).where(AuditEntry.action == "liability.calculated")).all()
    assert len(entries) == 1 and entries[0].actor_id == world.handler.id
    details = json.loads(entries[0].details)
    assert details["calculation_id"] == calculation.id and details["at"] == "2022-12-31"
    assert details["organisation_id"] == world.org.id


def test_a_person_whose_rights_cannot_be_computed_is_listed_as_skipped(db, monkeypatch):
    world = liability_world(db)
    real = rips.reserve_basis

    def failing(person, at):
        if person.key == world.paid_up.id:
            raise MissingParameter("inkomstbasbelopp", at)
        return real(person, at)

    monkeypatch.setattr(rips, "reserve_basis", failing)
    calculation = calculate(db, world)
    assert calculation.persons == 2
    assert liability.skipped_of(calculation) == [{"person_id": world.paid_up.id, "reason": "MissingParameter"}]


def test_explanations_and_dataclasses_survive_the_json_codec():
    use = ParameterUse("rips_discount_rate", Decimal("0.01"), date(2022, 1, 1), "[S37]", unconfirmed=True)
    explanation = Explanation(
        rule="rips_reserve_part", source="RIPS 07 [S26]",
        inputs=(("yearly_amount", Decimal("1234.50")), ("at", date(2022, 12, 31)), ("years", (1998, 2006)),
                ("by_year", {2023: Decimal("1.5")}), ("flag", True), ("none", None)),
        parameters=(use,), formula="a × b", notes=("n",),
        parts=(Explanation(rule="inner", source="x"),))
    assert codec.loads(codec.dumps(explanation)) == explanation
    right = rips.BenefitRight("ipr_1997", Decimal("100"), True, None, False, explanation)
    assert codec.loads(codec.dumps(right)) == right


def test_salaries_from_several_rows_give_the_same_histories_as_the_one_person_loader(db):
    from webapp.services.history import histories, person_history

    world = liability_world(db)
    add_salaries(db, world.active, world.other, {2022: 10_000})
    persons = [m.person for m in liability.members(db, world.org.id, AT)]
    loaded = histories(db, persons)
    assert all(loaded[p.id] == person_history(db, p) for p in persons)


def test_the_demo_data_gets_two_calculations_for_the_energy_company(app, db):
    from tests.factories import add_employer_role, make_organisation, make_person
    from webapp.demo import liability as demo_liability
    from webapp.demo.organisations import ORGANISATION_BY_KEY

    energy = make_organisation(db, name="Exempelby Energi AB",
                               org_number=ORGANISATION_BY_KEY["exempelby-energi"].org_number)
    make_employee(db, energy, birth_date=date(1966, 6, 6), start=date(1996, 1, 1), ipr_1997=12_000)
    staff = make_person(db, birth_date=date(1976, 5, 17))
    add_employer_role(db, staff, energy, "approver")
    assert demo_liability.add_calculations(app.extensions["db_engine"]) == 2
    made = liability.calculations_of(db, energy.id)
    assert [(c.at, c.label, c.status, c.persons, c.created_by) for c in made] == [
        (date(2022, 12, 31), "Bokslut 2022", "done", 1, staff.id),
        (date(2021, 12, 31), "Bokslut 2021", "done", 1, staff.id)]
    assert liability.previous_of(db, made[0]).id == made[1].id
