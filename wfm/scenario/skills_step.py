"""
The ``skills:`` step of a scenario: a multi-skill centre staffed by :func:`wfm.skills.staff_centre`.

:func:`skills_input` reads the section into a :class:`wfm.skills.Centre`
before anything runs (a bad section is a :class:`ScenarioError` naming the
key, like every other section); :func:`run_skills` staffs it on the run's
executor and returns a :class:`SkillsOutcome`. Nothing is computed here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..headline import skills_headline
from ..skills import staff_centre
from .schema import ScenarioError
from .skills import centre_from_spec

__all__ = ["SkillsInput", "SkillsOutcome", "skills_input", "run_skills"]


@dataclass(frozen=True)
class SkillsInput:
    """The centre of a scenario's ``skills`` section, its ``staffing`` options and its description."""

    centre: object
    options: dict
    description: str = ""


@dataclass(frozen=True)
class SkillsOutcome:
    """What the skills step produced: the staffing and its headline, or the error."""

    staffing: object = None
    headline: object = None
    description: str = ""
    error: str | None = None
    seconds: dict = field(default_factory=dict)


def skills_input(loaded):
    """
    The :class:`SkillsInput` of a scenario's ``skills`` section, or None without one.

    Raises
    ------
    ScenarioError
        At ``skills``, with the centre's own message (an unknown call type or
        group, a missing calls file, a target out of range, ...).
    """
    section = loaded.scenario.skills
    if section is None:
        return None
    try:
        c, options, description = centre_from_spec(section.model_dump(), loaded.base_dir, "skills")
    except (ValueError, TypeError, FileNotFoundError) as err:
        text = str(err)
        raise ScenarioError(text.removeprefix("skills: "), path=loaded.source, key="skills") from None
    return SkillsInput(c, options, description)


def run_skills(task, executor=None):
    """Staff the centre (:func:`wfm.skills.staff_centre` with the section's options); errors are returned."""
    t0 = time.perf_counter()
    try:
        plan = staff_centre(task.centre, executor=executor, **task.options)
        headline = skills_headline(plan)
    except Exception as err:  # noqa: BLE001 - a failing step is reported, the rest of the run stands
        text = str(err).strip().splitlines()
        return SkillsOutcome(description=task.description,
                             error=f"skills: {type(err).__name__}: {text[0] if text else ''}",
                             seconds={"skills": time.perf_counter() - t0})
    return SkillsOutcome(plan, headline, task.description, None, {"skills": time.perf_counter() - t0})
