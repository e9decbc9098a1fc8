"""Journal pages: the list with search, an entry, the editor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from steadymind.core.fields import split_tags
from steadymind.features.journal.schemas import JournalIn, JournalPatch
from steadymind.features.journal.service import JournalService
from steadymind.screen import recorded_suggestions
from steadymind.ui.api import service
from steadymind.ui.csrf import check_csrf
from steadymind.ui.web import WebUser, after_write, form_error, redirect, render

router = APIRouter(include_in_schema=False)
Journal = Annotated[JournalService, Depends(service(JournalService))]


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
    request: Request, user: WebUser, journal: Journal, q: str = "", tag: str = ""
) -> Response:
    entries = journal.find(user, query=q[:200] or None, tag=tag[:40] or None)
    return render(request, "journal.html", user, entries=entries, q=q, tag=tag)


@router.get("/journal/new")
def new_entry_page(request: Request, user: WebUser) -> Response:
    return render(request, "journal_edit.html", user, entry=None)


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
