"""Journal pages: the list with search, an entry, the editor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from steadymind.core.fields import split_tags
from steadymind.features.journal.excerpt import excerpt
from steadymind.features.journal.schemas import JournalIn, JournalPatch
from steadymind.features.journal.service import JournalService
from steadymind.runtime import JournalPrompter
from steadymind.screen import recorded_suggestions
from steadymind.ui.api import RuntimeDep, service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, form_error, redirect, render

router = APIRouter(include_in_schema=False)
Journal = Annotated[JournalService, Depends(service(JournalService))]
PAGE_SIZE = 20


class JournalForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    csrf: str = Field("", max_length=100)
    body: str = Field(max_length=100_000)
    title: str = Field("", max_length=200)
    tags: str = Field("", max_length=900)

    def fields(self) -> dict[str, Any]:
        return {"title": self.title, "body": self.body, "tags": split_tags(self.tags)}


@router.get("/journal")
def journal_list(
    request: Request,
    user: WebUser,
    journal: Journal,
    q: str = "",
    tag: str = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    """A page of entries, newest first: only the page is decrypted; the count is the database's."""
    query, wanted = q[:200] or None, tag[:40] or None
    offset = (page - 1) * PAGE_SIZE
    entries, total = journal.page(user, query=query, tag=wanted, limit=PAGE_SIZE, offset=offset)
    return render(
        request,
        "journal.html",
        user,
        items=[(e, excerpt(e.body)) for e in entries],
        q=q,
        tag=tag,
        pages=Pages(page, offset, len(entries), total, {"q": q, "tag": tag}),
    )


@dataclass(frozen=True)
class Pages:
    """Where a page of the list sits: "Entries 21-40 of 1,315", and links to its neighbours."""

    page: int
    offset: int
    shown: int
    total: int
    keep: dict[str, str]

    @property
    def first(self) -> int:
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + self.shown

    @property
    def newer(self) -> str | None:
        return self._link(self.page - 1) if self.page > 1 else None

    @property
    def older(self) -> str | None:
        return self._link(self.page + 1) if self.offset + PAGE_SIZE < self.total else None

    def _link(self, page: int) -> str:
        params = {k: v for k, v in self.keep.items() if v} | {"page": str(page)}
        return f"/journal?{urlencode(params)}"


@router.get("/journal/new")
def new_entry_page(request: Request, user: WebUser, runtime: RuntimeDep) -> Response:
    """An empty page, with a prompt to start from when a feature offers one (the companion
    chooses it from the person's check-ins, plans and exercises)."""
    prompter: JournalPrompter | None = runtime.find(JournalPrompter)
    prompt = prompter.journal_prompt(user) if prompter is not None else None
    return render(request, "journal_edit.html", user, entry=None, prompt=prompt)


@router.post("/journal/new")
def new_entry(
    request: Request, user: WebUser, journal: Journal, form: Annotated[JournalForm, Form()]
) -> Response:
    check_csrf(request, form.csrf)
    try:
        data = JournalIn(**form.fields())
    except PydanticValidationError as exc:
        return render(
            request, "journal_edit.html", user, 422, entry=None, form=form, error=form_error(exc)
        )
    item, verdict = journal.create(user, data)
    return after_write(request, user, verdict, f"/journal/{item.id}", ref=item.id)


@router.get("/journal/{entry_id}")
def show_entry(request: Request, entry_id: str, user: WebUser, journal: Journal) -> Response:
    entry = journal.get(user, entry_id)
    suggestions = recorded_suggestions(entry.analysis, user)
    return render(request, "journal_entry.html", user, entry=entry, suggestions=suggestions)


@router.get("/journal/{entry_id}/edit")
def edit_entry_page(request: Request, entry_id: str, user: WebUser, journal: Journal) -> Response:
    entry = journal.get(user, entry_id)
    return render(request, "journal_edit.html", user, entry=entry)


@router.post("/journal/{entry_id}/edit")
def edit_entry(
    request: Request,
    entry_id: str,
    user: WebUser,
    journal: Journal,
    form: Annotated[JournalForm, Form()],
) -> Response:
    check_csrf(request, form.csrf)
    try:
        patch = JournalPatch(**form.fields())
    except PydanticValidationError as exc:
        entry = journal.get(user, entry_id)
        return render(request, "journal_edit.html", user, 422, entry=entry, error=form_error(exc))
    _, verdict = journal.update(user, entry_id, patch)
    return after_write(request, user, verdict, f"/journal/{entry_id}", ref=entry_id)


@router.post("/journal/{entry_id}/delete")
def delete_entry(
    request: Request,
    entry_id: str,
    user: WebUser,
    journal: Journal,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    journal.delete(user, entry_id)
    return redirect("/journal")
