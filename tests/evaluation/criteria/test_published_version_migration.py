"""Migration 0008: a set published or locked before `published_version` existed keeps its
latest version in force; a draft has none."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("evaluation", "0006_rescore_report")]
AFTER = [("evaluation", "0008_criteria_set_published_version")]


@pytest.mark.django_db(transaction=True)
def test_published_and_locked_sets_keep_their_latest_version_in_force(org):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("evaluation", "CriteriaSet")
    for segment, status, version in ((org.auto, "published", 3), (org.elec, "locked", 2)):
        old.objects.create(
            year=2027,
            business_unit_id=org.bu1.pk,
            segment_id=segment.pk,
            name=status,
            status=status,
            version=version,
        )
    old.objects.create(year=2027, business_unit_id=org.bu1.pk, name="draft", version=4)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("evaluation", "CriteriaSet")
    assert dict(new.objects.values_list("name", "published_version")) == {
        "published": 3,
        "locked": 2,
        "draft": None,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
