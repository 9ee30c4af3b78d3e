"""Criteria pages: who may read and edit which set, the editor, versions, files, AHP."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from evaluation.criteria import services
from evaluation.criteria.demo import seed_criteria, seed_library
from evaluation.models import CriteriaSet, CriterionTemplate, Goal
from organisation.models import Segment

YEAR = 2027


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English (the switcher's cookie), so messages can be asserted."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _scoped(document, scope, name):
    return copy.deepcopy(document) | {"scope": scope, "name": name}


@pytest.fixture
def sets(document, org):
    """BU1's default (published), AUTO's override (draft) and ELEC's override (draft)."""
    default = services.criteria_set_load(
        document=_scoped(document, {"bu": "BU1"}, "BU1 默认"), publish=True
    )
    auto = services.criteria_set_load(document=document)
    elec = services.criteria_set_load(document=_scoped(document, {"segment": "ELEC"}, "ELEC"))
    return type("Sets", (), {"default": default, "auto": auto, "elec": elec})


def url(name, criteria_set, *args):
    return reverse(f"evaluation:{name}", args=[criteria_set.pk, *args])


def weights_post(criteria_set, **weights):
    data = {"name": criteria_set.name, "version": criteria_set.version}
    current = {c.key: c.weight for c in criteria_set.criteria.all()}
    return data | {f"weight-{k}": v for k, v in (current | weights).items()}


def criterion_post(criteria_set, **fields):
    """A valid new boolean criterion unless fields say otherwise."""
    return {
        "version": criteria_set.version,
        "key": "kdm",
        "name_zh": "关键决策人",
        "name_en": "Key decision maker",
        "family": "accessibility",
        "source": "key_decision_maker",
        "rule_type": "boolean",
        "true_points": "100",
        "false_points": "0",
        "weight": "0",
    } | fields


# --- Reading ----------------------------------------------------------------------------------


def test_the_index_lists_the_sets_in_scope_under_the_years_goals(client_for, people, sets, org):
    Goal.objects.create(business_unit=org.bu1, year=YEAR, strategy="重点发展新能源汽车客户")
    response = client_for(people.alice).get(reverse("evaluation:criteria-index"), {"year": YEAR})
    body = response.content.decode()
    assert response.status_code == 200
    assert "重点发展新能源汽车客户" in body
    assert sets.default.get_absolute_url() in body and sets.auto.get_absolute_url() in body
    assert sets.elec.get_absolute_url() not in body


def test_someone_without_a_role_cannot_open_the_criteria(client_for, people):
    response = client_for(people.judy).get(reverse("evaluation:criteria-index"))
    assert response.status_code == 403


def test_a_segment_manager_cannot_read_another_segments_set(client_for, people, sets):
    assert client_for(people.alice).get(sets.elec.get_absolute_url()).status_code == 403


def test_a_segment_manager_of_another_bu_cannot_read_bu1_sets(client_for, people, sets):
    client = client_for(people.grace)
    for criteria_set in (sets.default, sets.auto):
        assert client.get(criteria_set.get_absolute_url()).status_code == 403
        assert client.get(url("criteria-set-download", criteria_set)).status_code == 403


def test_a_segment_manager_reads_the_bu_default_without_editing_it(client_for, people, sets):
    response = client_for(people.alice).get(sets.default.get_absolute_url())
    assert response.status_code == 200
    assert response.context["may_edit"] is False
    assert 'data-testid="save-weights"' not in response.content.decode()


def test_the_bg_vp_reads_every_set_but_edits_none(client_for, people, sets):
    client = client_for(people.carol)
    for criteria_set in (sets.default, sets.auto, sets.elec):
        assert client.get(criteria_set.get_absolute_url()).status_code == 200
        response = client.post(
            url("criteria-set-weights", criteria_set), weights_post(criteria_set)
        )
        assert response.status_code == 403


# --- Editing: who may --------------------------------------------------------------------------


def test_a_segment_manager_cannot_edit_the_bu_default(client_for, people, sets):
    client = client_for(people.alice)
    assert client.get(url("criterion-add", sets.default)).status_code == 403
    response = client.post(url("criteria-set-weights", sets.default), weights_post(sets.default))
    assert response.status_code == 403
    assert client.post(url("criteria-set-publish", sets.default)).status_code == 403


def test_a_segment_manager_cannot_edit_another_segments_set(client_for, people, sets):
    client = client_for(people.eve)
    assert client.get(url("criterion-add", sets.auto)).status_code == 403
    response = client.post(url("criterion-add", sets.auto), criterion_post(sets.auto))
    assert response.status_code == 403
    assert not sets.auto.criteria.filter(key="kdm").exists()


@pytest.mark.parametrize("which", ["default", "auto", "elec"])
def test_the_bu_vp_edits_every_set_of_the_bu(client_for, people, sets, which):
    criteria_set = getattr(sets, which)
    response = client_for(people.bob).post(
        url("criterion-add", criteria_set), criterion_post(criteria_set)
    )
    assert response.status_code == 302
    assert criteria_set.criteria.filter(key="kdm").exists()


def test_a_segment_manager_starts_a_set_for_the_segment_only(client_for, people, org, document):
    client = client_for(people.alice)
    new = reverse("evaluation:criteria-set-new")
    response = client.post(new, {"scope": "segment:AUTO", "year": YEAR, "name": "AUTO 2027"})
    assert response.status_code == 302
    assert CriteriaSet.objects.get(segment=org.auto, year=YEAR).status == "draft"
    response = client.post(new, {"scope": "segment:ELEC", "year": YEAR, "name": "ELEC 2027"})
    assert response.status_code == 403
    response = client.post(new, {"scope": "bu:BU1", "year": YEAR, "name": "BU1 2027"})
    assert response.status_code == 403


def test_a_new_override_starts_from_the_bu_default(client_for, people, sets, org):
    client_for(people.bob).post(
        reverse("evaluation:criteria-set-new"),
        {"scope": f"segment:{org.auto.code}", "year": YEAR + 1, "name": "x"},
    )
    services.criteria_set_copy(source=sets.default, year=YEAR + 1, by=None)
    segment = Segment.objects.get(code="ELEC")
    client_for(people.eve).post(
        reverse("evaluation:criteria-set-new"),
        {"scope": "segment:ELEC", "year": YEAR + 1, "name": "ELEC 2028"},
    )
    override = CriteriaSet.objects.get(segment=segment, year=YEAR + 1)
    assert [c.key for c in override.criteria.all()] == [c.key for c in sets.default.criteria.all()]


# --- The editor --------------------------------------------------------------------------------


def test_the_weight_total_partial_shows_the_total_and_whether_it_is_100(client_for, people, sets):
    client = client_for(people.alice)
    partial = url("weight-total", sets.auto)
    exact = client.post(partial, {"weight-revenue": "30", "weight-employees": "20"})
    assert exact.templates[0].name == "evaluation/_weight_total.html"
    assert 'data-testid="weight-total-ok"' in exact.content.decode()
    off = client.post(partial, {"weight-revenue": "29.99"})
    body = off.content.decode()
    assert ">99.99<" in body and 'data-testid="weight-total-off"' in body


def test_the_weight_total_on_the_criterion_form_adds_the_other_criteria(client_for, people, sets):
    response = client_for(people.alice).post(
        url("weight-total", sets.auto), {"weight": "12.5", "editing": ""}
    )
    assert ">112.5<" in response.content.decode()


def test_the_weight_total_flags_what_is_not_a_number(client_for, people, sets):
    response = client_for(people.alice).post(url("weight-total", sets.auto), {"weight-x": "abc"})
    with translation.override("en"):
        assert "not a number" in response.content.decode()


def test_a_choice_rule_editor_lists_every_option_of_the_source(client_for, people, sets):
    response = client_for(people.alice).get(
        url("rule-fields", sets.auto), {"source": "outsourcing_attitude"}
    )
    body = response.content.decode()
    for option in ("open", "neutral", "closed"):
        assert f'name="points_{option}"' in body


def test_a_number_source_offers_linear_and_bands(client_for, people, sets):
    response = client_for(people.alice).get(
        url("rule-fields", sets.auto), {"source": "revenue", "rule_type": "bands"}
    )
    body = response.content.decode()
    assert 'value="linear"' in body and 'value="bands"' in body
    assert 'name="band_min_0"' in body and 'value="choice"' not in body


def test_adding_a_criterion_saves_a_new_version(client_for, people, sets):
    response = client_for(people.alice).post(
        url("criterion-add", sets.auto), criterion_post(sets.auto)
    )
    sets.auto.refresh_from_db()
    assert response.status_code == 302
    assert sets.auto.version == 2
    assert sets.auto.criteria.get(key="kdm").rule == {"type": "boolean", "true": 100, "false": 0}


def test_editing_a_criterion_keeps_its_place(client_for, people, sets):
    data = criterion_post(
        sets.auto,
        key="employees",
        source="employees",
        rule_type="bands",
        weight="20",
        band_min_0="",
        band_max_0="500",
        band_points_0="40",
        band_min_1="500",
        band_max_1="",
        band_points_1="100",
    )
    client_for(people.alice).post(url("criterion-edit", sets.auto, "employees"), data)
    assert [c.key for c in sets.auto.criteria.all()] == ["revenue", "employees", "outsourcing"]
    assert sets.auto.criteria.get(key="employees").rule["bands"] == [
        {"min": None, "max": 500, "points": 40},
        {"min": 500, "max": None, "points": 100},
    ]


def test_a_choice_rule_with_an_option_left_empty_is_refused(client_for, people, sets):
    data = criterion_post(
        sets.auto,
        key="outsourcing2",
        source="outsourcing_attitude",
        rule_type="choice",
        points_open="100",
        points_neutral="50",
        points_closed="",
    )
    with translation.override("en"):
        response = client_for(people.alice).post(url("criterion-add", sets.auto), data)
    assert response.status_code == 400
    assert "points_closed" in response.context["form"].errors
    assert sets.auto.criteria.count() == 3


def test_overlapping_bands_are_refused_with_the_reason(client_for, people, sets):
    data = criterion_post(
        sets.auto,
        key="staff",
        source="it_staff",
        rule_type="bands",
        band_min_0="0",
        band_max_0="10",
        band_points_0="20",
        band_min_1="5",
        band_max_1="",
        band_points_1="100",
    )
    with translation.override("en"):
        response = client_for(people.alice).post(url("criterion-add", sets.auto), data)
        assert "Bands 1 and 2 overlap." in response.context["form"].non_field_errors()


def test_a_linear_rule_with_low_not_below_high_is_refused(client_for, people, sets):
    data = criterion_post(
        sets.auto, key="rev2", source="revenue", rule_type="linear", lo="5", hi="5",
        direction="higher_better",
    )  # fmt: skip
    with translation.override("en"):
        response = client_for(people.alice).post(url("criterion-add", sets.auto), data)
        assert "Low must be below high." in response.context["form"].non_field_errors()


def test_a_key_used_twice_is_refused(client_for, people, sets):
    response = client_for(people.alice).post(
        url("criterion-add", sets.auto), criterion_post(sets.auto, key="revenue")
    )
    assert "key" in response.context["form"].errors


def test_removing_a_criterion(client_for, people, sets):
    client_for(people.alice).post(
        url("criterion-delete", sets.auto, "employees"), {"version": sets.auto.version}
    )
    assert [c.key for c in sets.auto.criteria.all()] == ["revenue", "outsourcing"]


def test_saving_weights_and_name(client_for, people, sets):
    data = weights_post(sets.auto, revenue="40", employees="10") | {"name": "新名称"}
    response = client_for(people.alice).post(url("criteria-set-weights", sets.auto), data)
    sets.auto.refresh_from_db()
    assert response.status_code == 302
    assert sets.auto.name == "新名称"
    assert {c.key: int(c.weight) for c in sets.auto.criteria.all()} == {
        "revenue": 40,
        "employees": 10,
        "outsourcing": 50,
    }


# --- Publishing, conflicts ---------------------------------------------------------------------


def test_publishing_a_valid_draft(client_for, people, sets):
    client_for(people.alice).post(url("criteria-set-publish", sets.auto))
    sets.auto.refresh_from_db()
    assert sets.auto.status == "published"


def test_publishing_is_refused_with_every_reason(client_for, people, sets):
    data = weights_post(sets.auto, revenue="10")
    client = client_for(people.alice)
    client.post(url("criteria-set-weights", sets.auto), data)
    with translation.override("en"):
        response = client.post(url("criteria-set-publish", sets.auto), follow=True)
        texts = [str(m) for m in response.context["messages"]]
    assert "The set was not published:" in texts
    assert "The weights add up to 80, not 100." in texts
    sets.auto.refresh_from_db()
    assert sets.auto.status == "draft"


def test_the_second_save_from_the_same_version_is_refused_and_the_first_kept(
    people, sets, settings
):
    first, second = Client(), Client()
    for each in (first, second):
        each.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    first.force_login(people.alice)
    second.force_login(people.bob)
    loaded = sets.auto.version
    page_a = first.get(sets.auto.get_absolute_url())
    page_b = second.get(sets.auto.get_absolute_url())
    assert page_a.context["weights_form"].initial["version"] == loaded
    assert page_b.context["weights_form"].initial["version"] == loaded
    first.post(
        url("criteria-set-weights", sets.auto),
        weights_post(sets.auto, revenue="40", employees="10"),
    )
    with translation.override("en"):
        response = second.post(
            url("criteria-set-weights", sets.auto),
            weights_post(sets.auto, revenue="25", employees="25") | {"version": loaded},
        )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this set after you opened it." in body
    assert 'data-testid="unsaved"' in body and ">25<" in body
    assert 'data-testid="latest-version"' in body
    weights = {c.key: int(c.weight) for c in sets.auto.criteria.all()}
    assert weights == {"revenue": 40, "employees": 10, "outsourcing": 50}


def test_a_conflict_on_the_criterion_form_keeps_the_input(client_for, people, sets):
    client = client_for(people.alice)
    stale = criterion_post(sets.auto)
    services.criteria_set_save(
        criteria_set=sets.auto,
        expected_version=sets.auto.version,
        name="changed",
        criteria=services.criteria_set_dump(sets.auto)["criteria"],
        by=people.bob,
    )
    response = client.post(url("criterion-add", sets.auto), stale)
    assert response.status_code == 409
    assert response.context["form"]["name_zh"].value() == "关键决策人"
    assert not sets.auto.criteria.filter(key="kdm").exists()


def test_a_locked_set_is_read_only(client_for, people, sets):
    services.criteria_set_lock(criteria_set=sets.auto)
    client = client_for(people.alice)
    page = client.get(sets.auto.get_absolute_url())
    assert page.context["may_edit"] is False
    assert client.get(url("criterion-add", sets.auto)).status_code == 403
    response = client.post(url("criteria-set-weights", sets.auto), weights_post(sets.auto))
    assert response.status_code == 403
    assert client.post(url("tier-policy-edit", sets.auto), {}).status_code == 403


# --- Differences, versions, audit, copy --------------------------------------------------------


def test_an_override_shows_its_differences_from_the_bu_default(client_for, people, sets):
    client = client_for(people.alice)
    client.post(
        url("criteria-set-weights", sets.auto),
        weights_post(sets.auto, revenue="40", employees="10"),
    )
    client.post(url("criterion-add", sets.auto), criterion_post(sets.auto, version=2))
    changes = client.get(sets.auto.get_absolute_url()).context["default_changes"]
    found = {(c.kind, c.item, c.field, c.before, c.after) for c in changes}
    assert ("changed", "revenue", "weight", "30", "40") in found
    assert any(kind == "added" and item == "kdm" for kind, item, *_ in found)


def test_comparing_two_versions_shows_field_level_changes(client_for, people, sets):
    client = client_for(people.alice)
    client.post(
        url("criteria-set-weights", sets.auto),
        weights_post(sets.auto, revenue="40", employees="10"),
    )
    response = client.get(url("criteria-set-compare", sets.auto), {"a": 1, "b": 2})
    changes = {(c.item, c.field, c.before, c.after) for c in response.context["changes"]}
    assert changes == {("revenue", "weight", "30", "40"), ("employees", "weight", "20", "10")}


def test_the_set_page_shows_who_changed_what(client_for, people, sets):
    client = client_for(people.alice)
    client.post(
        url("criteria-set-weights", sets.auto),
        weights_post(sets.auto, revenue="40", employees="10"),
    )
    audit = client.get(sets.auto.get_absolute_url()).context["audit"]
    latest = audit[0]
    assert latest.who == people.alice
    assert ("revenue", "weight", "30", "40") in {
        (c.item, c.field, c.before, c.after) for c in latest.changes
    }


def test_copy_last_years_set_starts_a_draft(client_for, people, sets):
    response = client_for(people.alice).post(
        url("criteria-set-copy", sets.auto), {"year": YEAR + 1}
    )
    copy_ = CriteriaSet.objects.get(segment=sets.auto.segment, year=YEAR + 1)
    assert response.url == copy_.get_absolute_url()
    assert copy_.status == "draft" and copy_.copied_from == sets.auto


def test_copy_is_refused_outside_the_scope(client_for, people, sets):
    response = client_for(people.carol).post(
        url("criteria-set-copy", sets.auto), {"year": YEAR + 1}
    )
    assert response.status_code == 403


# --- Files ------------------------------------------------------------------------------------


def test_a_download_uploads_back_unchanged(client_for, people, sets):
    client = client_for(people.alice)
    download = client.get(url("criteria-set-download", sets.auto))
    assert download["Content-Disposition"].startswith("attachment;")
    text = download.content.decode("utf-8")
    assert "营业收入" in text  # not \u escapes
    document = json.loads(text)
    upload = SimpleUploadedFile("set.json", download.content, "application/json")
    response = client.post(reverse("evaluation:criteria-set-upload"), {"file": upload})
    assert response.status_code == 302
    sets.auto.refresh_from_db()
    assert sets.auto.version == 1  # the same content: nothing new was written
    assert services.criteria_set_dump(sets.auto) == document


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{" + b" " * (1024 * 1024) + b"}", "The file is larger than 1 MB."),
        ("{}".encode("utf-16"), "The file is not UTF-8 text."),
        (b'{"year": 2027,', "The file is not valid JSON"),
    ],
)
def test_an_unreadable_upload_gets_a_clear_message(client_for, people, sets, content, message):
    upload = SimpleUploadedFile("set.json", content, "application/json")
    with translation.override("en"):
        response = client_for(people.alice).post(
            reverse("evaluation:criteria-set-upload"), {"file": upload}
        )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_invalid_upload_lists_every_reason_and_saves_nothing(client_for, people, sets, document):
    document["criteria"][0]["weight"] = 31
    document["criteria"][1]["rule"]["bands"][1]["min"] = 50
    document["extra"] = 1
    upload = SimpleUploadedFile("set.json", json.dumps(document).encode(), "application/json")
    with translation.override("en"):
        response = client_for(people.alice).post(
            reverse("evaluation:criteria-set-upload"), {"file": upload}
        )
        errors = response.context["form"].non_field_errors()
    assert response.status_code == 400
    assert "Unknown field “extra”." in errors
    assert "criteria[2]: rule: Bands 1 and 2 overlap." in errors
    assert "The weights add up to 101, not 100." in errors
    sets.auto.refresh_from_db()
    assert sets.auto.version == 1


def test_an_upload_for_a_scope_out_of_reach_is_refused(client_for, people, sets, document):
    document["scope"] = {"segment": "ELEC"}
    upload = SimpleUploadedFile("set.json", json.dumps(document).encode(), "application/json")
    with translation.override("en"):
        response = client_for(people.alice).post(
            reverse("evaluation:criteria-set-upload"), {"file": upload}
        )
        errors = response.context["form"].non_field_errors()
    assert "You may not change the criteria of the scope this file names." in errors
    sets.elec.refresh_from_db()
    assert sets.elec.version == 1


# --- AHP ---------------------------------------------------------------------------------------


def ahp_post(criteria_set, action, **pairs):
    return (
        {"version": criteria_set.version, "action": action}
        | {
            "pair_0_1": "1",
            "pair_0_2": "1",
            "pair_1_2": "1",
        }
        | pairs
    )


def test_ahp_shows_the_derived_weights_and_cr(client_for, people, sets):
    response = client_for(people.alice).post(
        url("ahp-weights", sets.auto),
        ahp_post(sets.auto, "compute", pair_0_1="2", pair_0_2="4", pair_1_2="2"),
    )
    shares = [row["share"] for row in response.context["rows"]]
    assert [str(s) for s in shares] == ["57.14", "28.57", "14.29"]
    assert response.context["result"].cr == pytest.approx(0, abs=1e-9)


def test_consistent_ahp_weights_are_applied(client_for, people, sets):
    response = client_for(people.alice).post(
        url("ahp-weights", sets.auto),
        ahp_post(sets.auto, "apply", pair_0_1="2", pair_0_2="4", pair_1_2="2"),
    )
    assert response.status_code == 302
    weights = [str(c.weight) for c in sets.auto.criteria.all()]
    assert weights == ["57.14", "28.57", "14.29"]


def test_inconsistent_ahp_weights_need_a_confirmation(client_for, people, sets):
    data = ahp_post(sets.auto, "apply", pair_0_1="5", pair_1_2="5", pair_0_2="1/5")
    client = client_for(people.alice)
    refused = client.post(url("ahp-weights", sets.auto), data)
    assert refused.status_code == 400
    assert "confirm" in refused.context["form"].errors
    assert [int(c.weight) for c in sets.auto.criteria.all()] == [30, 20, 50]
    applied = client.post(url("ahp-weights", sets.auto), data | {"confirm": "on"})
    assert applied.status_code == 302
    assert sum(c.weight for c in sets.auto.criteria.all()) == 100
    assert [int(c.weight) for c in sets.auto.criteria.all()] != [30, 20, 50]


def test_ahp_weights_cannot_be_applied_by_a_reader(client_for, people, sets):
    response = client_for(people.carol).post(
        url("ahp-weights", sets.auto), ahp_post(sets.auto, "apply")
    )
    assert response.status_code == 403


# --- Library and demo --------------------------------------------------------------------------


def test_the_library_lists_the_templates_by_family(client_for, people, org):
    seed_library()
    response = client_for(people.alice).get(reverse("evaluation:criteria-library"))
    families = {
        f["value"]: [t["template"].key for t in f["templates"]]
        for f in response.context["families"]
    }
    assert "outsourcing_attitude" in families["accessibility"]
    assert "revenue" in families["profitability"]
    assert CriterionTemplate.objects.count() >= 14


def test_a_library_template_prefills_a_new_criterion(client_for, people, sets):
    seed_library()
    response = client_for(people.alice).get(
        url("criterion-add", sets.auto), {"template": "it_importance"}
    )
    form = response.context["form"]
    assert form["source"].value() == "it_importance"
    assert form["points_high"].value() == 100


def test_the_demo_criteria_are_published_and_seeding_twice_changes_nothing(org):
    first = seed_criteria(YEAR)
    versions = dict(CriteriaSet.objects.values_list("pk", "version"))
    second = seed_criteria(YEAR)
    assert first["loaded"] == 8  # a default and one override for each of the four BUs
    assert second["loaded"] == 0
    assert dict(CriteriaSet.objects.values_list("pk", "version")) == versions
    assert set(CriteriaSet.objects.values_list("status", flat=True)) == {"published"}
    default = CriteriaSet.objects.get(business_unit=org.bu1, segment=None, year=YEAR)
    assert len({c.rule["type"] for c in default.criteria.all()}) == 4
    assert default.criteria.count() >= 5
    assert Goal.objects.filter(year=YEAR).count() == 2 + 4


def test_ahp_refuses_more_than_15_criteria(client_for, people, sets):
    many = [
        {**services.criteria_set_dump(sets.auto)["criteria"][0], "key": f"c{n}", "weight": 5}
        for n in range(16)
    ]
    services.criteria_set_save(
        criteria_set=sets.auto, expected_version=1, name="many", criteria=many, by=None
    )
    client = client_for(people.alice)
    assert (
        "AHP compares at most 15 criteria."
        in client.get(url("ahp-weights", sets.auto)).content.decode()
    )
    response = client.post(url("ahp-weights", sets.auto), {"version": 2, "action": "compute"})
    assert response.status_code == 400
