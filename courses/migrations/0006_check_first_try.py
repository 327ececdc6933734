"""A knowledge check's recorded score is its first try: `best_points` becomes
`first_points`, filled from the ledger's first attempt where there is one, and
`correct_on` records the first try answered with full marks; feedback already
stored is marked as revealed, as it was."""

from django.db import migrations, models


def first_tries_from_ledger(apps, schema_editor):
    CheckResult = apps.get_model("courses", "CheckResult")
    GradedResponse = apps.get_model("grading", "GradedResponse")
    for result in CheckResult.objects.select_related("progress").iterator():
        # kc:<enrolment>:<lesson>:<check>:<attempt>, as services.py writes it.
        prefix = (
            f"kc:{result.progress.enrolment_id}:{result.progress.lesson_id}:"
            f"{result.check_id}:"
        )
        rows = {
            int(ref.rsplit(":", 1)[1]): (points, max_points)
            for ref, points, max_points in GradedResponse.objects.filter(
                attempt_ref__startswith=prefix
            ).values_list("attempt_ref", "points", "max_points")
        }
        if 1 in rows:
            result.first_points = rows[1][0]
        result.correct_on = min(
            (n for n, (points, most) in rows.items() if points >= most > 0),
            default=None,
        )
        # Feedback stored before this change always showed the answer.
        result.last_feedback = {**result.last_feedback, "revealed": True}
        result.save(update_fields=["first_points", "correct_on", "last_feedback"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_key_editor_blocks"),
        ("grading", "0005_former_learner_key"),
    ]

    operations = [
        migrations.RenameField(
            model_name="checkresult", old_name="best_points", new_name="first_points"
        ),
        migrations.AlterField(
            model_name="checkresult",
            name="first_points",
            field=models.FloatField(
                default=0, help_text="The first try's points: the score that counts."
            ),
        ),
        migrations.AddField(
            model_name="checkresult",
            name="correct_on",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="The try that was first answered correctly.",
                null=True,
            ),
        ),
        migrations.RunPython(first_tries_from_ledger, migrations.RunPython.noop),
    ]
