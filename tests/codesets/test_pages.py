"""The code book pages answer and show what matters."""

import pytest

from codesets.presenters import CPT_LAY_NOTICE
from tests.support.accounts import log_in_with_two_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("code_sets")]


@pytest.mark.parametrize(
    "url",
    [
        "/codes/",
        "/codes/?system=icd10pcs",
        "/codes/icd10cm/",
        "/codes/icd10cm/4/",
        "/codes/icd10cm/E08-E13/",
        "/codes/icd10cm/E11/",
        "/codes/icd10cm/E1165/",
        "/codes/icd10pcs/",
        "/codes/icd10pcs/0/",
        "/codes/icd10pcs/0D/",
        "/codes/icd10pcs/0DT/",
        "/codes/icd10pcs/0DTJ4Z/",
        "/codes/icd10pcs/0DTJ4ZZ/",
        "/codes/hcpcs/",
        "/codes/cpt/99213/",
        "/codes/modifier/25/",
    ],
)
def test_code_book_pages_answer(client, url):
    assert client.get(url).status_code == 200


def test_dotted_code_redirects_to_its_page(client):
    response = client.get("/codes/icd10cm/E11.65/")
    assert response.status_code == 302 and response.url.endswith(
        "/codes/icd10cm/E1165/"
    )


def test_detail_page_shows_validation_notes_and_children(client):
    page = client.get("/codes/icd10cm/E116/").content.decode()
    assert "is a category header" in page
    assert "E11.65" in page
    assert "Excludes1" in client.get("/codes/icd10cm/E11/").content.decode()


def test_pcs_axis_page_lists_the_next_axis_with_labels(client):
    page = client.get("/codes/icd10pcs/0DTJ/").content.decode()
    assert "approach" in page and "Percutaneous Endoscopic" in page


def test_cpt_pages_carry_the_lay_description_notice(client):
    assert CPT_LAY_NOTICE in client.get("/codes/cpt/").content.decode()


def test_unknown_code_page_is_a_404_with_the_reason(client):
    response = client.get("/codes/icd10cm/E1199/")
    assert response.status_code == 404
    assert "E11.99 is not a code in the ICD-10-CM" in response.content.decode()


def test_wagtail_admin_lists_codes_read_only(client, admin_user):
    admin_client = log_in_with_two_factor(client, admin_user)
    response = admin_client.get("/admin/codes/")
    assert response.status_code == 200
    assert "/admin/codes/new/" not in response.content.decode()
    assert admin_client.get("/admin/codes/new/").status_code in (302, 403)
