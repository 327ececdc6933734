"""Codes exempt from present-on-admission reporting.

No list ships with the installed code-set packages, so this is a small table of
whole categories from the CMS "ICD-10-CM Present on Admission (POA) Exempt List"
that ICD-10-CM Official Guidelines Appendix I refers to (categories and codes
describing circumstances that are not conditions, or that are always present on
admission). It holds only categories exempt in full; a key may also mark any line
exempt with the indicator 1.
"""

from __future__ import annotations

POA_EXEMPT_CATEGORIES = frozenset(
    {
        # Encounters for examination, screening and observation.
        *(f"Z0{digit}" for digit in "0123489"),
        "Z11",
        "Z12",
        "Z13",
        # Pregnancy and birth circumstances.
        "O80",
        "Z30",
        "Z31",
        "Z32",
        "Z33",
        "Z34",
        "Z36",
        "Z37",
        "Z38",
        "Z39",
        "Z3A",
        # Status, history and long-term drug therapy.
        "Z66",
        "Z67",
        "Z68",
        "Z79",
        "Z80",
        "Z81",
        "Z82",
        "Z83",
        "Z84",
        "Z85",
        "Z86",
        "Z87",
        "Z88",
        "Z89",
        "Z90",
        "Z92",
        "Z93",
        "Z94",
        "Z95",
        "Z97",
        "Z98",
        "Z99",
        # External cause: place, activity and status.
        "Y92",
        "Y93",
        "Y99",
    }
)
CATEGORY_LENGTH = 3


def poa_exempt(code: str) -> bool:
    """Whether a compact ICD-10-CM code is exempt from POA reporting."""
    return code[:CATEGORY_LENGTH] in POA_EXEMPT_CATEGORIES
