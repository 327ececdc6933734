"""`{% box "lines" 2 "code" label="24D Code" %}`: one box of the claim form, its
value as typed and the scrubber's edits on it."""

from django import template

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
