"""The learner dashboard is assembled from panels that each app registers in its
AppConfig.ready(), so core does not need to know every capability."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DashboardPanel:
    template_name: str
    get_context: Callable[[object], dict]
    order: int = 100


_panels: list[DashboardPanel] = []


def register_panel(panel: DashboardPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def panels_for(user) -> list[dict]:
    """Render-ready panels for `user`; a panel whose context is None is left out."""
    rendered = []
    for panel in sorted(_panels, key=lambda item: item.order):
        context = panel.get_context(user)
        if context is not None:
            rendered.append({"template_name": panel.template_name, "context": context})
    return rendered
