"""Issue 13 in headless Chromium, at 1280 px and on a 390 px phone: a person turns the companion
on, reads its consent, talks (the reply streams in), is offered and completes a thought record,
plans a small activity and answers its follow-up, sees and edits what the companion remembers,
meets the question on an ambiguous message, and turns the AI off again.

The server, the browser and the sign-up flow are those of ``test_browser`` (the fake gate: its
words for ``elevated`` and ``high`` are in ``tests/support``). With
``STEADYMIND_SCREENSHOTS=docs/screenshots`` the tests save companion-*.png there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from steadymind.features.companion.tables import CompanionFollowUp
from tests.support import FAKE_ELEVATED
from tests.web import test_browser as base
from tests.web.test_browser import CHROMIUM, TIMEOUT_MS, LiveServer, screenshot, sign_up
from tests.web.test_browser_checkins import assert_fits

server_gate = base.server_gate
live_server = base.live_server
chromium = base.chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed"),
]
WIDTHS = [1280, 390]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def page(chromium: Any, live_server: LiveServer, width: int) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 844 if width < 500 else 900},
        service_workers="block",
        timezone_id="Europe/London",
        locale="en-GB",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield page
        assert errors == [], errors
    finally:
        context.close()


def turn_on(page: Any, width: int) -> None:
    """Settings: AI "Companion"; the consent is read and accepted; the companion's home page."""
    from playwright.sync_api import expect

    page.goto("/settings")
    page.get_by_role("radio", name=re.compile("^Companion")).check()
    page.locator("#ai").get_by_role("button", name="Save").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Companion").click()
    expect(
        page.get_by_role("heading", name="Before you start talking with the companion")
    ).to_be_visible()
    expect(page.get_by_text("It is not a therapist, a doctor or a person.")).to_be_visible()
    assert_fits(page, width)
    screenshot(page, f"companion-consent-{width}")
    page.get_by_role("button", name="I understand, start").click()
    expect(page.get_by_role("heading", name="Try an exercise")).to_be_visible()


def settled(page: Any) -> None:
    """The page has loaded and no reply is still streaming (a reply that streams reloads the
    page when it ends: a click before that reload is lost with the old page)."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('#chat-log li.bubble.pending')")


def send(page: Any, text: str) -> None:
    """Write and send; the script streams the reply, then the page loads the conversation."""
    settled(page)
    page.get_by_label("Your message").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_load_state()


def tap(page: Any, button: Any) -> None:
    """A quick answer (a choice, a number): sent like a message."""
    from playwright.sync_api import expect

    settled(page)
    expect(button).to_be_enabled()
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


def last_reply(page: Any) -> Any:
    return page.locator("#chat-log li.bubble.companion").last


def test_talk_then_a_thought_record_saved_to_the_journal(
    page: Any, width: int, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    turn_on(page, width)
    page.get_by_role("button", name="Talk").click()
    page.wait_for_url(re.compile(r"/companion/\w+"))
    log = page.get_by_role("log", name="Conversation")
    expect(log.locator("li.bubble.companion")).to_have_count(1)  # the greeting
    send(page, "My boss shouted at me in front of everyone and I feel so embarrassed.")
    # The reply streams into the log, then the page settles on the stored conversation.
    expect(log.locator("li.bubble.person")).to_have_count(1)
    expect(log.locator("li.bubble.companion")).to_have_count(2)
    expect(last_reply(page)).to_contain_text(re.compile(r"embarrassed|boss", re.IGNORECASE))
    assert_fits(page, width)
    screenshot(page, f"companion-{width}")

    # A thought record, chosen from the list: every step answered, the traps explained.
    page.get_by_text("Start an exercise here").click()
    page.get_by_role("button", name="Thought record").click()
    expect(last_reply(page)).to_contain_text("What was happening?")
    send(page, "A team meeting on Monday.")
    send(page, "Everyone thinks I'm useless.")
    send(page, "ashamed")
    expect(last_reply(page)).to_contain_text("How strong was that feeling")
    page.get_by_label("Your message").fill("80")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(last_reply(page)).to_contain_text(re.compile("thinking trap"))
    for answer in (
        "Maybe a little.",
        "He raised his voice at me.",
        "Two colleagues thanked me after.",
        "One person was angry once; that is not everyone.",
        "40",
    ):
        send(page, answer)
    expect(last_reply(page)).to_contain_text("Here is your thought record.")
    expect(last_reply(page)).to_contain_text("A fairer thought: One person was angry once")
    last_reply(page).get_by_role("button", name="Save to journal").click()
    page.wait_for_url(re.compile(r"/journal/\w+$"))
    expect(page.get_by_text("Situation: A team meeting on Monday.")).to_be_visible()


def test_a_small_plan_and_its_follow_up(page: Any, width: int, live_server: LiveServer) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    turn_on(page, width)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Plan something small")).click()
    expect(last_reply(page)).to_contain_text("What matters to you at the moment?")
    answers = page.get_by_role("group", name="Answers")
    tap(page, answers.get_by_role("button", name="My health and body"))
    send(page, "a short walk by the river")
    tap(page, page.get_by_role("group", name="Answers").get_by_role("button", name="later today"))
    scale = page.get_by_role("group", name=re.compile("Choose a number from -5 to 5"))
    assert_fits(page, width)
    tap(page, scale.get_by_role("button", name="-2", exact=True))
    expect(last_reply(page)).to_contain_text("Your plan: a short walk by the river, later today.")
    # The journal's empty page offers a prompt about what is coming up.
    page.goto("/journal/new")
    expect(page.get_by_text("Before something you planned")).to_be_visible()
    expect(page.locator(".prompt-text")).to_contain_text("a short walk by the river")
    screenshot(page, f"journal-prompt-{width}")

    # Time passes: the follow-up is due, and the next conversation opens with it.
    with live_server.services.db.transaction() as tx:
        tx.execute(
            update(CompanionFollowUp).values(due_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    page.goto("/companion")
    page.get_by_role("button", name="Talk").click()
    expect(last_reply(page)).to_contain_text(
        "You planned to: a short walk by the river. Did you do it?"
    )
    tap(page, page.get_by_role("group", name="Answers").get_by_role("button", name="Yes"))
    numbers = page.get_by_role("group", name=re.compile("Choose a number"))
    tap(page, numbers.get_by_role("button", name="+2"))
    send(page, "skip")
    expect(last_reply(page)).to_contain_text("Mood when you planned it: -2. Mood now: +2.")
    screenshot(page, f"companion-plan-{width}")


def test_what_the_companion_remembers_is_shown_edited_and_deleted(
    page: Any, width: int, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    turn_on(page, width)
    page.get_by_role("button", name="Talk").click()
    send(page, "Remember that walks with my dog Max help me.")
    expect(last_reply(page)).to_contain_text("Memory page")
    page.goto("/companion/memory")
    item = page.locator("ol.memory textarea").first
    expect(item).to_have_value("walks with my dog Max help me.")
    item.fill("Walks with Max help, especially in the morning.")
    page.locator("ol.memory").get_by_role("button", name="Save").first.click()
    expect(page.locator("ol.memory textarea").first).to_have_value(
        "Walks with Max help, especially in the morning."
    )
    assert_fits(page, width)
    screenshot(page, f"companion-memory-{width}")
    page.locator("ol.memory").get_by_role("button", name="Delete").first.click()
    expect(page.get_by_text("Nothing yet.")).to_be_visible()


def test_an_ambiguous_message_is_asked_about_first_and_no_lets_the_talk_go_on(
    page: Any, width: int, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    turn_on(page, width)
    page.get_by_role("button", name="Talk").click()
    send(page, f"Honestly, {FAKE_ELEVATED}.")
    question = page.locator("#safety-question")
    expect(question).to_be_visible()
    expect(question.get_by_role("link", name=re.compile("116 123"))).to_be_visible()  # Samaritans
    assert_fits(page, width)
    question.get_by_role("button", name="No", exact=True).click()
    page.wait_for_url(re.compile(r"/companion/\w+"))
    log = page.get_by_role("log", name="Conversation")
    expect(log.get_by_text("(the safety check stopped here)")).to_be_visible()
    expect(log.locator("li.bubble.companion")).to_have_count(2)  # the greeting, and a reply


def test_after_a_hard_day_the_journal_offers_a_prompt_about_it(
    page: Any, width: int, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    page.get_by_label("Mood from -5 to +5").fill("-4")
    page.get_by_role("button", name="Save check-in").click()
    page.wait_for_url(re.compile(r"/history|/review"))
    page.goto("/journal/new")
    expect(page.get_by_text("After a hard day")).to_be_visible()
    assert_fits(page, width)


def test_turning_the_ai_off_turns_off_the_companion_and_the_suggestions(
    page: Any, width: int, live_server: LiveServer
) -> None:
    from playwright.sync_api import expect

    sign_up(page)
    turn_on(page, width)
    page.goto("/settings")
    page.get_by_role("radio", name=re.compile("^Off")).check()
    page.locator("#ai").get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Companion")
    ).to_have_count(0)
    page.goto("/companion")
    expect(page.get_by_text("The companion is off.")).to_be_visible()
    # A check-in with a note: no feelings are suggested (the fake model would read "joy").
    page.goto("/checkin")
    page.get_by_text("Add feelings, a note or tags").click()
    page.get_by_label(re.compile("^Note")).fill("A good walk in the sun.")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Do these words fit?")).to_have_count(0)
