"""The dashboard is assembled from panels that each app registers in its
AppConfig.ready(), so core does not need to know every capability. Learners and
instructors each get their own panels: an instructor's dashboard is about their
classes, not their own practice."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    LEARNER = "learner"
    INSTRUCTOR = "instructor"


@dataclass(frozen=True)
class DashboardPanel:
    template_name: str
    get_context: Callable[[object], dict]
    order: int = 100
    audience: Audience = Audience.LEARNER


_panels: list[DashboardPanel] = []


def register_panel(panel: DashboardPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(user, audience: Audience = Audience.LEARNER) -> list[dict]:
    """Render-ready panels of `audience` for `user`; a panel whose context is None
    is left out."""
    rendered = []
    for panel in sorted(_panels, key=lambda item: item.order):
        if panel.audience != audience:
            continue
        context = panel.get_context(user)
        if context is not None:
            rendered.append({"template_name": panel.template_name, "context": context})
    return rendered
