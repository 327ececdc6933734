"""Wagtail admin form data as the browser posts it, built from stored values, so
tests can edit a page through the admin's HTTP views."""

import json

from wagtail import blocks
from wagtail.test.utils.form_data import rich_text, streamfield

from grading.key_blocks import AnswerKeyBlock


def block_form(block, value):
    """`value` of `block` as the admin's StreamField widget posts it."""
    if isinstance(block, blocks.StreamBlock):
        return streamfield(
            [
                (child.block_type, block_form(child.block, child.value))
                for child in value
            ]
        )
    if isinstance(block, AnswerKeyBlock):
        # Stored as the engine's JSON, posted as the editor's fields.
        value = block.editor_value(value)
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_form(child, value[name])
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        items = [block_form(block.child_block, item) for item in value]
        data = {
            str(n): {"value": item, "deleted": "", "order": str(n)}
            for n, item in enumerate(items)
        }
        return data | {"count": str(len(items))}
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(value.source)
    if isinstance(block, blocks.BooleanBlock):
        return "on" if value else ""
    if isinstance(block, blocks.ChooserBlock):
        return "" if value is None else str(value.pk)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return "" if value is None else str(value)


def key_form(key: dict) -> dict:
    """An answer key (the engine's JSON) as the key editor posts it."""
    return block_form(AnswerKeyBlock(), key)


def stream_form(stream_value):
    """A whole StreamField's value as posted."""
    return block_form(stream_value.stream_block, stream_value)
