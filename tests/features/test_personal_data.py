"""One personal-data registry drives export and deletion, so no feature can forget either."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from sqlalchemy import select

from steadymind.features.accounts.personal import AccountData
from steadymind.features.app.lock import AppLockService
from steadymind.features.checkins.schemas import CheckInIn
from steadymind.features.coach.reminders import ReminderService
from steadymind.features.coach.schemas import GoalIn, HabitIn, ReminderIn
from steadymind.features.coach.service import CoachService
from steadymind.features.insights.service import InsightService
from steadymind.features.journal.schemas import JournalIn
from steadymind.features.wearables.service import WearableService
from steadymind.runtime import Notice, Notifier, Runtime
from steadymind.safety.plan import SafetyPlan
from tests.conftest import PASSWORD, Persona, metadata
from tests.features.wearables.synth import apple_export
from tests.support import Services


def _person_tables() -> set[str]:
    """Tables that hold something of a person: a user_id column (or the users table itself)."""
    return {t.name for t in metadata.sorted_tables if "user_id" in t.c} | {"users"}


def test_every_table_that_holds_a_persons_data_is_declared_once(runtime: Runtime) -> None:
    declared = [name for data in runtime.personal_data for name in data.keyless]
    assert len(declared) == len(set(declared)), "a table is declared by two features"
    assert set(declared) >= _person_tables(), "a table with a user_id is nobody's personal data"
    assert set(declared) <= {t.name for t in metadata.sorted_tables}, "a declared table is missing"


def test_every_feature_that_stores_something_registered_it(runtime: Runtime) -> None:
    kinds = {type(data).__name__ for data in runtime.personal_data}
    assert kinds == {
        "AccountData", "AppLockData", "CheckInData", "CoachData", "CompanionData", "InsightData",
        "JournalData", "NoticeData", "PracticeData", "SafetyPlanData", "WearableData",
    }  # fmt: skip


def test_the_account_is_erased_last(runtime: Runtime) -> None:
    """Deletion walks the registry backwards: the user row goes after everything that names it."""
    assert isinstance(runtime.personal_data[0], AccountData)


def _fill(services: Services, person: Persona) -> None:
    p = person.principal
    services.checkins.create(p, CheckInIn(mood=1, energy=0, note=f"{person.username}'s note"))
    services.journal.create(p, JournalIn(title="t", body=f"{person.username}'s entry"))
    services.plans.save(p, SafetyPlan(reasons_for_living=[f"{person.username}'s reason"]))
    coach = services.runtime.get(CoachService)
    habit, _ = coach.add_habit(p, HabitIn(name=f"{person.username}'s habit", times=["08:00"]))
    coach.mark(p, habit.id)
    coach.add_goal(p, GoalIn(title=f"{person.username}'s goal", steps=["a step"]))
    reminders = services.runtime.get(ReminderService)
    reminders.add_reminder(p, ReminderIn(about="habit", habit_id=habit.id, at="08:00"))
    insights = services.runtime.get(InsightService)
    supporter = f"{person.username}'s supporter"
    insights.supporters.set(p, name=supporter, signed_as=person.username, email="s@example.org")
    notifier = services.runtime.find(Notifier)
    notifier.notify(p, Notice("warning:r:2026-01-15", "t", "b", (("email", "s@example.org"),)))
    export = apple_export(services.settings.data_dir / f"{person.username}-export.xml", days=2)
    services.runtime.get(WearableService).run(p, "apple-health", export)
    browser = services.credentials.log_in(person.username, PASSWORD, client="test").principal
    services.runtime.get(AppLockService).set_pin(browser, "480519", "480519", 5)


def test_the_export_holds_every_features_sections(
    services: Services, runtime: Runtime, alice: Persona
) -> None:
    _fill(services, alice)
    exported = services.exporter.collect(alice.principal)
    for data in runtime.personal_data:
        assert set(data.export(alice.principal)) <= set(exported), type(data).__name__
    assert exported["safety_plan"]["reasons_for_living"] == ["alice's reason"]
    assert exported["journal"][0]["body"] == "alice's entry"
    assert exported["coach_habits"][0]["name"] == "alice's habit"
    assert exported["coach_goals"][0]["steps"][0]["text"] == "a step"
    assert exported["supporter"]["name"] == "alice's supporter"
    assert [n["kind"] for n in exported["supporter_notices"]] == ["email"]
    with zipfile.ZipFile(io.BytesIO(services.exporter.to_csv_zip(alice.principal))) as archive:
        names = set(archive.namelist())
    assert names == {
        "account.csv",
        "assessments.csv",
        "checkins.csv",
        "coach_goal_steps.csv",
        "coach_habit_days.csv",
        "coach_habits.csv",
        "companion.csv",
        "companion_memory.csv",
        "journal.csv",
        "safety_plan.json",
        "supporter_notices.csv",
        "warning_rules.csv",
        "wearable_days.csv",
        "wearable_samples.csv",
    }


def test_deleting_an_account_leaves_nothing_of_it_in_any_table(
    services: Services, alice: Persona, bob: Persona
) -> None:
    _fill(services, alice)
    _fill(services, bob)
    services.accounts.delete_account(alice.principal, PASSWORD)
    kept = {"checkins", "journal_entries", "safety_plans", "api_tokens", "wearable_samples",
            "wearable_days", "wearable_imports", "insight_supporters", "coach_notices"}  # fmt: skip
    with services.db.transaction() as tx:
        for table in metadata.sorted_tables:
            if "user_id" not in table.c:
                continue
            mine = tx.execute(select(table).where(table.c.user_id == alice.principal.user_id))
            assert mine.all() == [], table.name
            if table.name in kept:
                theirs = tx.execute(select(table).where(table.c.user_id == bob.principal.user_id))
                assert theirs.all() != [], f"Bob lost his {table.name}"


def test_every_column_of_a_persons_data_is_ciphertext_keyless_or_key_material(
    runtime: Runtime,
) -> None:
    """What a background job holding no key may read is declared column by column; a new
    plaintext column fails here until it is declared (and documented, next test)."""
    material = {t: set(cols) for t, cols in AccountData.key_material.items()}
    for data in runtime.personal_data:
        for name, keyless in data.keyless.items():
            table = metadata.tables[name]
            for column in table.c:
                kinds = [
                    column.name.endswith("_ct"),
                    column.name in keyless,
                    column.name in material.get(name, set()),
                ]
                assert sum(kinds) == 1, f"{name}.{column.name} is not classified exactly once"
            assert set(keyless) <= {c.name for c in table.c}, f"{name} declares a missing column"


def test_the_security_page_names_every_plaintext_column(runtime: Runtime) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    plaintext = page.split("## What stays in plaintext", 1)[1].split("\n## ", 1)[0]
    for data in runtime.personal_data:
        for name, keyless in data.keyless.items():
            for column in keyless:
                assert f"`{name}.{column}`" in plaintext, f"{name}.{column} is not documented"
