"""What a page looks like to an accessibility audit and on a phone, measured in the
browser through Playwright: axe-core's serious and critical violations, and how far
the page scrolls sideways (with the elements that push it).

axe-core is the copy `make vendor` takes from the npm registry
(tests/support/vendor/). The site's CSP (`script-src 'self'`) would block it as a
<script> element (`page.add_script_tag` inlines the file), so it is evaluated through
DevTools, which the page's CSP does not govern: the page under audit is the one the
site serves, headers and all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Moderate and minor findings (best practices such as "every piece of content in a
# landmark") are worth reading, but the bar the site holds is these two.
BLOCKING_IMPACTS = ("serious", "critical")
# How many offending elements an overflow report names.
OVERFLOW_CULPRITS = 5


@dataclass(frozen=True)
class Violation:
    """One axe-core rule a page breaks, and where."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.targets[:5])
        more = len(self.targets) - 5
        if more > 0:
            where += f" (+{more} more)"
        return f"{self.impact} {self.rule}: {self.help} at {where}"


@dataclass(frozen=True)
class Overflow:
    """A page wider than its window: the widths, and the elements that stick out
    (their box or their content) of a parent whose box fits, each with how far
    right it reaches in CSS pixels."""

    scroll_width: int
    inner_width: int
    culprits: tuple[tuple[str, int], ...]

    def __str__(self) -> str:
        culprits = ", ".join(f"{at} (to {right}px)" for at, right in self.culprits)
        return (
            f"scrolls sideways: {self.scroll_width}px wide in a "
            f"{self.inner_width}px window; widest: {culprits or 'none found'}"
        )


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


_RUN_AXE = """async ([impacts, exclude]) => {
  const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
  const results = await axe.run(context, {resultTypes: ["violations"]});
  return results.violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }));
}"""


def axe_violations(page, exclude: tuple[str, ...] = ()) -> list[Violation]:
    """The serious and critical axe-core violations on `page` as it stands (with
    axe's default rules: WCAG 2.0-2.2 A and AA, and its best practices), leaving out
    the elements `exclude` selects."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # A string, not a function: Playwright evaluates it as a script.
        page.evaluate(_axe_source())
    found = page.evaluate(_RUN_AXE, [list(BLOCKING_IMPACTS), list(exclude)])
    return [
        Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in found
    ]


_MEASURE_OVERFLOW = """(limit) => {
  const width = window.innerWidth;
  const root = document.documentElement;
  if (root.scrollWidth <= width) return null;
  // An element inside a box that scrolls or clips sideways (a .table-scroll) moves
  // only that box, not the page.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== root; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  // An element's content (a long word, an address) may overflow a box that fits.
  const right = (el) => {
    const box = el.getBoundingClientRect();
    return box.left + Math.max(box.width, el.scrollWidth);
  };
  const sticksOut = (el) => right(el) > width + 0.5;
  const boxFits = (el) => el.getBoundingClientRect().right <= width + 0.5;
  const describe = (el) => {
    const parts = [];
    for (let e = el; e && e !== root && parts.length < 3; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) {
        parts.unshift(part + "#" + e.id);
        break;
      }
      part += [...e.classList].slice(0, 2).map((c) => "." + c).join("");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const outside = [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && !clipped(el))
    .filter((el) => !el.parentElement || boxFits(el.parentElement));
  // The innermost: a box that fits but holds one that overflows is not the cause.
  const culprits = outside
    .filter((el) => !outside.some((other) => other !== el && el.contains(other)))
    .map((el) => [describe(el), Math.round(right(el))])
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit);
  return {scrollWidth: root.scrollWidth, innerWidth: width, culprits};
}"""


def horizontal_overflow(page) -> Overflow | None:
    """How `page` overflows its window sideways (`scrollWidth > innerWidth`), or None
    when it fits."""
    found = page.evaluate(_MEASURE_OVERFLOW, OVERFLOW_CULPRITS)
    if found is None:
        return None
    return Overflow(
        found["scrollWidth"],
        found["innerWidth"],
        tuple((selector, right) for selector, right in found["culprits"]),
    )
