"""``steadymind journal show`` takes the start of an id, as git does (issue 12, item 16): four
characters or more, unique among the person's entries; an ambiguous start lists the candidates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from steadymind.cli.main import app
from tests.support import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="the CLI tests use their own SQLite data dir")
IDS = ["abcd1234" + "0" * 24, "abcd5678" + "1" * 24, "ef01" + "2" * 28]


@pytest.fixture
def entries(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """Alice's three entries, with ids chosen so that two share their first four characters."""
    ids: Iterator[str] = iter(IDS)
    monkeypatch.setattr("steadymind.features.journal.service.new_id", lambda: next(ids))
    assert cli.invoke(app, ["user", "create", "alice"]).exit_code == 0
    for title in ("Sea", "Hills", "Rain"):
        added = cli.invoke(app, ["journal", "add", "--title", title, "--file", "-"], input="ok\n")
        assert added.exit_code == 0, added.output
    return cli


def test_a_unique_start_of_an_id_shows_the_entry(entries: CliRunner) -> None:
    for start in ("abcd1", "ABCD5678", "ef01", IDS[2]):
        shown = entries.invoke(app, ["journal", "show", start])
        assert shown.exit_code == 0, shown.output
    assert "Sea" in entries.invoke(app, ["journal", "show", "abcd1"]).output
    assert "Hills" in entries.invoke(app, ["journal", "show", "abcd5"]).output


def test_an_ambiguous_start_lists_the_candidates(entries: CliRunner) -> None:
    result = entries.invoke(app, ["journal", "show", "abcd"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "The start abcd matches 2 entries: type more of the id." in said
    assert "abcd12340000" in said and "Sea" in said
    assert "abcd56781111" in said and "Hills" in said
    assert "Rain" not in said


def test_a_start_shorter_than_four_characters_is_refused(entries: CliRunner) -> None:
    result = entries.invoke(app, ["journal", "show", "abc"])
    assert result.exit_code == 2
    assert "at least 4 characters" in result.output


def test_a_start_that_matches_nothing_is_not_found(entries: CliRunner) -> None:
    for start in ("9999", "zzzz", "abcd%"):
        result = entries.invoke(app, ["journal", "show", start])
        assert result.exit_code == 2, start
        assert "No journal entry" in result.output, start


def test_titles_are_shown_as_written_not_read_as_terminal_markup(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids: Iterator[str] = iter(IDS)
    monkeypatch.setattr("steadymind.features.journal.service.new_id", lambda: next(ids))
    assert cli.invoke(app, ["user", "create", "alice"]).exit_code == 0
    for title in ("[/x] a [bold]title", "[red]two"):
        cli.invoke(app, ["journal", "add", "--title", title, "--file", "-"], input="ok\n")
    for args in (["show", "abcd"], ["show", "abcd1"], ["list"]):
        result = cli.invoke(app, ["journal", *args])
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not crashed, (args, result.exception)
    assert "[/x] a [bold]title" in cli.invoke(app, ["journal", "show", "abcd1"]).output
    assert "[red]two" in " ".join(cli.invoke(app, ["journal", "show", "abcd"]).output.split())
