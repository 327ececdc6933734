"""Opening an edit page and saving it unchanged is not an edit: otherwise a reviewer
who approves from the edit page saves a revision of their own and, under
reapproval on edit, restarts the review they were closing."""

import pytest
from django.db import models
from wagtail.admin.panels import get_edit_handler

from case_studies.models import CaseStudyPage
from exams.models import Blueprint, Question

ADMIN_EDITED = [CaseStudyPage, Question, Blueprint]


@pytest.mark.parametrize("model", ADMIN_EDITED, ids=lambda model: model.__name__)
def test_json_fields_compare_with_the_value_the_form_rendered(model):
    form_class = get_edit_handler(model).get_form_class()
    json_fields = [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.JSONField) and field.name in form_class.base_fields
    ]
    assert json_fields, "each of these models edits a JSONField in the admin"
    for name in json_fields:
        form_field = form_class.base_fields[name]
        assert not form_field.show_hidden_initial, name
        assert not form_field.has_changed({}, form_field.prepare_value({})), name
