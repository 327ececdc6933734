from django.db import migrations

from certifications.services import certifications_load


def load_outlines(apps, schema_editor):
    certifications_load(
        certification_model=apps.get_model("certifications", "Certification"),
        domain_model=apps.get_model("certifications", "Domain"),
    )


class Migration(migrations.Migration):
    dependencies = [("certifications", "0001_initial")]

    operations = [migrations.RunPython(load_outlines, migrations.RunPython.noop)]
