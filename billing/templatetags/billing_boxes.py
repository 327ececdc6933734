"""`{% box "lines" 2 "code" label="24D Code" %}`: one box of the claim form, its
value as typed and the scrubber's edits on it."""

from django import template

from billing.payer_data import carc_text, rarc_text

register = template.Library()


@register.inclusion_tag("billing/_box.html", takes_context=True)
def box(context, *parts, label, hint="", size=""):
    path = ".".join(str(p) for p in parts)
    flags = [
        edit
        for edit in context.get("edits") or ()
        if edit["field"] == path or edit["field"].startswith(f"{path}.")
    ]
    return {
        "path": path,
        "id": "box-" + path.replace(".", "-"),
        "label": label,
        "hint": hint,
        "size": size,
        "value": context["boxes"].get(path, ""),
        "editable": context["editable"],
        "flags": flags,
    }


@register.filter
def money(value) -> str:
    return f"${value:,.2f}"


# CLP02 claim status codes the demo payer sends (X12 835 TR3).
CLAIM_STATUSES = {
    "1": "processed as primary",
    "4": "denied",
    "22": "reversal of a previous payment",
}


@register.filter
def claim_status(code: str) -> str:
    return f"{code} ({CLAIM_STATUSES[code]})" if code in CLAIM_STATUSES else code


@register.filter
def carc(code: str) -> str:
    return carc_text(code) or ""


@register.filter
def rarc(code: str) -> str:
    return rarc_text(code) or ""
