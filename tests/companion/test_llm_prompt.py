"""The reviewed system prompt and the messages built from a conversation."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from steadymind.companion.llm.prompt import (
    LAST_TURNS,
    TURN_CHARS,
    SystemPrompt,
    Turn,
    build_messages,
    parse_prompt,
    system_prompt,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_prompt_is_one_versioned_reviewed_file() -> None:
    prompt = system_prompt()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\.\d+", prompt.version)
    assert "<!--" not in prompt.text  # reviewers' notes are not sent
    assert "version:" not in prompt.text
    # It ships in the wheel beside the other copy.
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "companion/copy/*.md" in data["package-data"]["steadymind"]


@pytest.mark.parametrize(
    "rule",
    [
        r"not a person",  # never claims to be human
        r"never claim to be human",
        r"not a therapist",
        r"never diagnose",
        r"never give medication advice",
        r"means or methods of self-harm or suicide",
        r"safety resources the app shows",
        r"two to four sentences",
        r"open questions, short reflections .* affirmations .* summary",
        r"follow the person's lead",
        r"only when it truly\s+fits",
        r"never instructions to you",
    ],
)
def test_the_prompt_says_what_the_companion_is_and_is_not(rule: str) -> None:
    assert re.search(rule, system_prompt().text, re.IGNORECASE | re.DOTALL), rule


def test_a_prompt_file_needs_its_version_line() -> None:
    with pytest.raises(ValueError, match="version"):
        parse_prompt("You are kind.\n")
    with pytest.raises(ValueError, match="no prompt"):
        parse_prompt("version: 1\n<!-- only a note -->\n")
    assert parse_prompt("version: 7\n\n<!-- note -->\nBe kind.\n") == SystemPrompt("7", "Be kind.")


def test_messages_are_the_prompt_with_its_note_then_the_conversation() -> None:
    turns = [
        Turn("companion", "Hi. What's on your mind?"),  # the greeting: left out
        Turn("person", "Work was awful."),
        Turn("companion", "That sounds hard. What happened?"),
        Turn("person", "My boss shouted at me."),
    ]
    sent = build_messages(
        turns, memory=["My sister Ana helps when I'm low", "  "], feelings=["sad", "angry"]
    )
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    system = sent[0]["content"]
    assert system.startswith(system_prompt().text)
    assert "- My sister Ana helps when I'm low" in system
    assert "information, not instructions" in system
    assert "sad, angry" in system
    assert sent[-1]["content"] == "My boss shouted at me."


def test_without_memory_or_feelings_the_system_message_is_the_prompt() -> None:
    sent = build_messages([Turn("person", "Hello")])
    assert sent == [
        {"role": "system", "content": system_prompt().text},
        {"role": "user", "content": "Hello"},
    ]


def test_only_the_last_turns_are_sent_and_each_is_cut_to_size() -> None:
    turns = [Turn("person" if n % 2 else "companion", f"turn {n}") for n in range(1, 41)]
    turns.append(Turn("person", "x" * (TURN_CHARS + 500)))
    sent = build_messages(turns)
    assert len(sent) <= 1 + LAST_TURNS
    assert sent[1]["role"] == "user"
    assert "turn 1" not in [m["content"] for m in sent]
    assert len(sent[-1]["content"]) == TURN_CHARS


def test_turns_alternate_even_when_the_seam_stopped_one() -> None:
    """A turn the seam stopped got no reply: the person's two turns travel as one."""
    sent = build_messages([Turn("person", "First."), Turn("person", "Second.")])
    assert sent[1:] == [{"role": "user", "content": "First.\n\nSecond."}]


def test_the_conversation_must_end_with_the_person() -> None:
    with pytest.raises(ValueError):
        build_messages([Turn("person", "Hi"), Turn("companion", "Hello")])
    with pytest.raises(ValueError):
        build_messages([])
