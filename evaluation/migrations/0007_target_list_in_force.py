"""The approved list stays in force while its revision is worked on.

One unsuperseded approved list (in force) and one unsuperseded list being worked on may now
coexist per segment and year. Revisions started before this change superseded the approved
list at once; for those still unapproved the approved revision is put back in force."""

from django.db import migrations, models


def restore_lists_in_force(apps, schema_editor):
    TargetList = apps.get_model("evaluation", "TargetList")
    working = TargetList.objects.filter(superseded_at__isnull=True, revision__gt=1).exclude(
        state="approved"
    )
    for revision in working:
        siblings = TargetList.objects.filter(
            segment_id=revision.segment_id, year=revision.year, state="approved"
        )
        if siblings.filter(superseded_at__isnull=True).exists():
            continue
        latest = siblings.filter(revision__lt=revision.revision).order_by("-revision").first()
        if latest is not None:
            latest.superseded_at = None
            latest.save(update_fields=["superseded_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_rescore_report"),
        ("organisation", "0002_notification"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="targetlist",
            name="target_list_one_current",
        ),
        migrations.RunPython(restore_lists_in_force, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="targetlist",
            constraint=models.UniqueConstraint(
                condition=models.Q(("state", "approved"), ("superseded_at__isnull", True)),
                fields=("segment", "year"),
                name="target_list_one_in_force",
            ),
        ),
        migrations.AddConstraint(
            model_name="targetlist",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("superseded_at__isnull", True),
                    models.Q(("state", "approved"), _negated=True),
                ),
                fields=("segment", "year"),
                name="target_list_one_working",
            ),
        ),
    ]
