import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from evaluation.criteria import services
from evaluation.models import CriteriaSet, CriteriaSetVersion, Criterion, Tier, TierPolicy


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(document, fragment, **kwargs):
    with pytest.raises(ValidationError) as error:
        services.criteria_set_load(document=document, **kwargs)
    assert any(fragment in message for message in error.value.messages), error.value.messages
    assert not CriteriaSet.objects.exists() and not Criterion.objects.exists()


class TestLoadAndDump:
    def test_the_design_example_loads_as_a_draft(self, document):
        criteria_set = services.criteria_set_load(document=document)
        assert criteria_set.status == "draft" and criteria_set.segment.code == "AUTO"
        assert [c.key for c in criteria_set.criteria.all()] == [
            "revenue",
            "employees",
            "outsourcing",
        ]
        assert list(Tier.objects.values_list("code", flat=True)) == ["A", "B", "C"]

    def test_a_dump_loads_back_unchanged(self, document):
        criteria_set = services.criteria_set_load(document=document)
        dumped = services.criteria_set_dump(criteria_set)
        assert dumped == document
        reloaded = services.criteria_set_load(document=json.loads(json.dumps(dumped)))
        assert services.criteria_set_dump(reloaded) == document

    def test_loading_again_replaces_the_draft_and_keeps_versions(self, document):
        services.criteria_set_load(document=document)
        document["criteria"][0]["weight"] = 25
        document["criteria"][1]["weight"] = 25
        criteria_set = services.criteria_set_load(document=document)
        assert criteria_set.version == 2
        assert CriteriaSetVersion.objects.filter(criteria_set=criteria_set).count() == 2

    def test_publish_flag_publishes(self, document):
        assert services.criteria_set_load(document=document, publish=True).status == "published"

    def test_decimal_weights_round_trip(self, document):
        document["criteria"][0]["weight"] = 29.5
        document["criteria"][1]["weight"] = 20.5
        criteria_set = services.criteria_set_load(document=document)
        assert services.criteria_set_dump(criteria_set)["criteria"][0]["weight"] == 29.5


class TestBadDocuments:
    @pytest.mark.parametrize(("first", "second"), [(29.99, 20), (30.01, 20)])
    def test_weights_must_add_up_to_exactly_100(self, document, first, second):
        document["criteria"][0]["weight"] = first
        document["criteria"][1]["weight"] = second
        refused(document, "add up to")

    @pytest.mark.parametrize("weight", [-5, float("nan"), float("inf"), 1e20, "30", True, 30.001])
    def test_a_bad_weight_is_named(self, document, weight):
        document["criteria"][0]["weight"] = weight
        refused(document, "criteria[1]: “weight”")

    def test_an_empty_set_is_refused(self, document):
        document["criteria"] = []
        refused(document, "non-empty list")

    def test_duplicate_keys_are_refused(self, document):
        document["criteria"][1]["key"] = "revenue"
        refused(document, "key “revenue” is used twice")

    def test_overlapping_bands_are_refused(self, document):
        document["criteria"][1]["rule"]["bands"][1]["min"] = 50
        refused(document, "criteria[2]: rule: Bands 1 and 2 overlap")

    def test_lo_equal_to_hi_is_refused(self, document):
        document["criteria"][0]["rule"]["hi"] = 0
        refused(document, "Low must be below high")

    def test_an_unknown_source_is_refused(self, document):
        document["criteria"][0]["source"] = "turnover"
        refused(document, "unknown source “turnover”")

    def test_extra_fields_are_named(self, document):
        document["criteria"][0]["colour"] = "red"
        refused(document, "criteria[1]: unknown field “colour”")

    def test_missing_fields_are_named(self, document):
        del document["criteria"][2]["rule"]
        refused(document, "criteria[3]: missing field “rule”")

    def test_an_unknown_scope_is_refused(self, document):
        document["scope"] = {"segment": "auto"}
        refused(document, "Unknown segment “auto”")

    def test_a_bad_tier_rule_is_refused(self, document):
        document["tiers"][2]["rule"]["value"] = 2.5
        refused(document, "does not fit rule top_n")

    def test_every_problem_is_listed(self, document):
        document["criteria"][0]["source"] = "turnover"
        document["criteria"][1]["key"] = "revenue"
        document["tiers"][0]["rule"]["type"] = "best"
        with pytest.raises(ValidationError) as error:
            services.criteria_set_load(document=document)
        assert len(error.value.messages) >= 3

    def test_a_choice_missing_an_option_is_refused(self, document):
        del document["criteria"][2]["rule"]["points"]["closed"]
        refused(document, "Option “closed” has no points")


class TestPermissions:
    def test_a_segment_manager_loads_its_segments_set(self, document, people):
        assert services.criteria_set_load(document=document, by=people.alice)

    @pytest.mark.parametrize("username", ["eve", "grace", "carol", "dave", "judy"])
    def test_others_may_not_load_it(self, document, people, username):
        with pytest.raises(PermissionDenied):
            services.criteria_set_load(document=document, by=getattr(people, username))
        assert not CriteriaSet.objects.exists()

    def test_the_bu_vp_edits_the_bu_default(self, document, people):
        document["scope"] = {"bu": "BU1"}
        assert services.criteria_set_load(document=document, by=people.bob).segment is None

    def test_a_segment_manager_may_not_edit_the_bu_default(self, document, people):
        document["scope"] = {"bu": "BU1"}
        with pytest.raises(PermissionDenied):
            services.criteria_set_load(document=document, by=people.alice)


class TestLifecycle:
    def test_publish_refuses_an_invalid_draft_with_reasons(self, document, people):
        criteria_set = services.criteria_set_load(document=document)
        Criterion.objects.filter(key="revenue").update(weight=10)
        with pytest.raises(ValidationError, match="add up to 80"):
            services.criteria_set_publish(criteria_set=criteria_set, by=people.alice)
        criteria_set.refresh_from_db()
        assert criteria_set.status == "draft"

    def test_a_locked_set_cannot_be_replaced(self, document):
        criteria_set = services.criteria_set_load(document=document, publish=True)
        services.criteria_set_lock(criteria_set=criteria_set)
        with pytest.raises(ValidationError, match="locked"):
            services.criteria_set_load(document=document)

    def test_copy_last_years_set_starts_a_draft(self, document, people):
        source = services.criteria_set_load(document=document, publish=True)
        copy = services.criteria_set_copy(source=source, year=2028, by=people.alice)
        assert copy.year == 2028 and copy.status == "draft" and copy.copied_from == source
        assert services.criteria_set_dump(copy)["criteria"] == document["criteria"]

    def test_copying_keeps_tiers_already_set_for_that_year(self, document, people, org):
        source = services.criteria_set_load(document=document, publish=True)
        policy = TierPolicy.objects.create(business_unit=org.bu1, segment=org.auto, year=2028)
        policy.tiers.create(
            order=1, code="K", name_zh="关键", rule_type="top_n", rule_value=Decimal(5)
        )
        services.criteria_set_copy(source=source, year=2028, by=people.alice)
        assert list(policy.tiers.values_list("code", flat=True)) == ["K"]


class TestConcurrentEdits:
    def test_the_second_save_of_the_same_version_is_refused(self, document, people):
        criteria_set = services.criteria_set_load(document=document)
        loaded_version = criteria_set.version
        first = [dict(c, weight=c["weight"]) for c in document["criteria"]]
        services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=loaded_version,
            name="first",
            criteria=first,
            by=people.alice,
        )
        second = [dict(c) for c in document["criteria"][:2]]
        with pytest.raises(services.EditConflict):
            services.criteria_set_save(
                criteria_set=criteria_set,
                expected_version=loaded_version,
                name="second",
                criteria=second,
                by=people.bob,
            )
        criteria_set.refresh_from_db()
        assert criteria_set.name == "first" and criteria_set.criteria.count() == 3

    def test_both_versions_stay_visible(self, document, people):
        criteria_set = services.criteria_set_load(document=document)
        services.criteria_set_save(
            criteria_set=criteria_set,
            expected_version=1,
            name="edited",
            criteria=document["criteria"],
            by=people.alice,
        )
        numbers = list(criteria_set.versions.values_list("number", flat=True))
        assert numbers == [2, 1]


class TestCommands:
    def test_load_and_dump_round_trip(self, document, tmp_path, capsys):
        path = tmp_path / "set.json"
        path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        call_command("load_criteria", str(path), "--publish")
        capsys.readouterr()
        call_command("dump_criteria", "--year", "2027", "--segment", "AUTO")
        assert json.loads(capsys.readouterr().out) == document

    def test_malformed_json_is_refused_clearly(self, db, tmp_path):
        path = tmp_path / "set.json"
        path.write_text('{"year": 2027,', "utf-8")
        with pytest.raises(CommandError, match="not valid UTF-8 JSON"):
            call_command("load_criteria", str(path))

    def test_a_refused_file_lists_the_reasons(self, document, tmp_path):
        document["criteria"][0]["weight"] = 99
        path = tmp_path / "set.json"
        path.write_text(json.dumps(document), "utf-8")
        with pytest.raises(CommandError, match="add up to 169"):
            call_command("load_criteria", str(path))
