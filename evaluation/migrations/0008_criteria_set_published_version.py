from django.db import migrations, models


def in_force_versions(apps, schema_editor):
    """A set published or locked before this field existed has its latest version in force."""
    CriteriaSet = apps.get_model("evaluation", "CriteriaSet")
    CriteriaSet.objects.filter(status__in=["published", "locked"]).update(
        published_version=models.F("version")
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_target_list_in_force")]

    operations = [
        migrations.AddField(
            model_name="criteriaset",
            name="published_version",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="version in force"
            ),
        ),
        migrations.AddField(
            model_name="historicalcriteriaset",
            name="published_version",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="version in force"
            ),
        ),
        migrations.RunPython(in_force_versions, migrations.RunPython.noop),
    ]
