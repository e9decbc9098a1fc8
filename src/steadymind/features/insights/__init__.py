"""Insights: bring your history (Daylio, any CSV), patterns with their evidence, the views
people expect, standard questionnaires and early-warning rules the person sets."""

from __future__ import annotations

from steadymind.features.insights.due import QuestionnaireReminders
from steadymind.features.insights.personal import InsightData
from steadymind.features.insights.service import QUESTIONNAIRE, InsightService
from steadymind.features.insights.supporters import SUPPORTER
from steadymind.runtime import Feature, ReminderSource, Runtime


def setup(runtime: Runtime) -> None:
    service = runtime.provide(InsightService(runtime))
    runtime.seam.register_surface(QUESTIONNAIRE)
    runtime.seam.register_surface(SUPPORTER)
    runtime.provide(QuestionnaireReminders(runtime.db), ReminderSource)
    runtime.add_personal_data(InsightData(service))


FEATURE = Feature(name="insights", setup=setup, requires=("accounts", "checkins"))
