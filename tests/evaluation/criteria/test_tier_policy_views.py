"""The tier policy page: ordered tiers with rules and principles, edited next to the criteria."""

import pytest
from django.urls import reverse
from django.utils import translation

from evaluation.criteria import services
from evaluation.models import Tier, TierPolicy


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def auto_set(document):
    return services.criteria_set_load(document=document)


def page(criteria_set):
    return reverse("evaluation:tier-policy-edit", args=[criteria_set.pk])


def tier_data(version, tiers, extra=1):
    """Formset POST data: tiers as (code, name, type, value, order, principle)."""
    data = {
        "version": version,
        "tiers-TOTAL_FORMS": len(tiers) + extra,
        "tiers-INITIAL_FORMS": 0,
        "tiers-MIN_NUM_FORMS": 0,
        "tiers-MAX_NUM_FORMS": 1000,
    }
    # The empty extra row as a browser sends it: its select submits the first option.
    data[f"tiers-{len(tiers)}-rule_type"] = "top_n"
    for index, (code, name, kind, value, order, principle) in enumerate(tiers):
        data |= {
            f"tiers-{index}-code": code,
            f"tiers-{index}-name_zh": name,
            f"tiers-{index}-rule_type": kind,
            f"tiers-{index}-rule_value": value,
            f"tiers-{index}-ORDER": order,
            f"tiers-{index}-development_principle": principle,
            f"tiers-{index}-service_level": "",
            f"tiers-{index}-contact_frequency": "",
            f"tiers-{index}-responsible_role": "",
        }
    return data


A = ("A", "重点客户", "top_percent", "10", 1, "集中资源")
B = ("B", "发展客户", "min_score", "60", 2, "挖掘需求")
C = ("C", "维持客户", "top_n", "50", 3, "保持联系")


def codes(criteria_set):
    policy = TierPolicy.objects.for_scope(
        business_unit=criteria_set.business_unit, segment=criteria_set.segment, year=2027
    ).first()
    return [tier.code for tier in policy.tiers.all()]


def test_the_page_shows_the_tiers_in_order(client_for, people, auto_set):
    response = client_for(people.alice).get(page(auto_set))
    assert response.status_code == 200
    assert [f.initial["code"] for f in response.context["formset"].forms if f.initial] == [
        "A",
        "B",
        "C",
    ]


def test_saving_keeps_the_order_of_the_page_and_bumps_the_version(client_for, people, auto_set):
    policy = TierPolicy.objects.get(segment=auto_set.segment, year=2027)
    response = client_for(people.alice).post(page(auto_set), tier_data(policy.version, [A, C, B]))
    assert response.status_code == 302
    assert codes(auto_set) == ["A", "C", "B"]
    policy.refresh_from_db()
    assert policy.version == 2


def test_a_tier_is_added_and_one_removed(client_for, people, auto_set):
    data = tier_data(1, [A, B, C, ("D", "一般", "min_score", "30", 4, "")], extra=0)
    data["tiers-1-DELETE"] = "on"
    client_for(people.alice).post(page(auto_set), data)
    assert codes(auto_set) == ["A", "C", "D"]


def test_a_change_is_audited_with_before_and_after(client_for, people, auto_set):
    changed = [(*A[:3], "15", 1, A[5]), B, C]
    client = client_for(people.alice)
    client.post(page(auto_set), tier_data(1, changed))
    record = Tier.history.filter(code="A").latest("history_date")
    assert record.history_user == people.alice
    audit = client.get(auto_set.get_absolute_url()).context["audit"]
    changes = {(c.item, c.field, c.before, c.after) for entry in audit for c in entry.changes}
    assert ("A", "rule_value", "10", "15") in changes


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("top_n", "0", "Top N needs a whole number of 1 or more."),
        ("top_n", "2.5", "Top N needs a whole number of 1 or more."),
        ("top_percent", "0", "Top percent needs a number above 0 and at most 100."),
        ("top_percent", "100.01", "Top percent needs a number above 0 and at most 100."),
        ("min_score", "101", "A minimum score is from 0 to 100."),
    ],
)
def test_a_rule_value_that_does_not_fit_is_refused(
    client_for, people, auto_set, kind, value, message
):
    data = tier_data(1, [("A", "重点", kind, value, 1, "")])
    response = client_for(people.alice).post(page(auto_set), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert codes(auto_set) == ["A", "B", "C"]


def test_two_tiers_with_one_code_are_refused(client_for, people, auto_set):
    data = tier_data(1, [A, ("A", "又一个", "top_n", "5", 2, "")])
    response = client_for(people.alice).post(page(auto_set), data)
    assert "Another tier has this code." in response.content.decode()


def test_a_save_over_a_newer_policy_is_refused_and_the_input_kept(client_for, people, auto_set):
    client_for(people.bob).post(page(auto_set), tier_data(1, [A, B]))
    response = client_for(people.alice).post(
        page(auto_set), tier_data(1, [A, B, C, ("D", "新层级", "top_n", "5", 4, "")])
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this tier policy after you opened it." in body
    assert 'value="新层级"' in body
    assert codes(auto_set) == ["A", "B"]


def test_the_first_policy_of_a_scope_is_created(client_for, people, org):
    criteria_set = services.criteria_set_create(
        business_unit=org.bu1, segment=org.elec, year=2027, name="ELEC", by=None
    )
    response = client_for(people.eve).post(page(criteria_set), tier_data("", [A]))
    assert response.status_code == 302
    assert TierPolicy.objects.get(segment=org.elec, year=2027).tiers.count() == 1


def test_a_segment_manager_cannot_change_another_segments_tiers(client_for, people, auto_set):
    response = client_for(people.eve).post(page(auto_set), tier_data(1, [A]))
    assert response.status_code == 403


def test_the_bg_vp_reads_the_tiers_but_gets_no_form(client_for, people, auto_set):
    client = client_for(people.carol)
    response = client.get(page(auto_set))
    assert response.status_code == 200 and response.context["may_edit"] is False
    assert 'data-testid="tier-form"' not in response.content.decode()
    assert client.post(page(auto_set), tier_data(1, [A])).status_code == 403


def test_another_bus_segment_manager_cannot_read_the_tiers(client_for, people, auto_set):
    assert client_for(people.grace).get(page(auto_set)).status_code == 403


def test_tiers_of_a_locked_set_cannot_change(client_for, people, auto_set):
    services.criteria_set_lock(criteria_set=auto_set)
    assert client_for(people.bob).post(page(auto_set), tier_data(1, [A])).status_code == 403


# --- Order: a new tier goes last; up and down buttons; what each tier takes -------------------


@pytest.fixture
def empty_set(org):
    """ELEC's set without tiers, so tiers are added one by one as a new user would."""
    return services.criteria_set_create(
        business_unit=org.bu1, segment=org.elec, year=2027, name="ELEC", by=None
    )


def add_tier(client, criteria_set, saved, new):
    """Post the page as the browser does: the saved tiers (order field as the old page sent
    it) and the new tier in the empty row at the end, its order left empty."""
    policy = TierPolicy.objects.filter(segment=criteria_set.segment, year=2027).first()
    rows = [(*tier[:4], index + 1, tier[5]) for index, tier in enumerate(saved)]
    data = tier_data(policy.version if policy else "", [*rows, (*new[:4], "", new[5])], extra=0)
    return client.post(page(criteria_set), data)


def test_a_tier_added_after_another_goes_after_it(client_for, people, empty_set):
    client = client_for(people.eve)
    add_tier(client, empty_set, [], A)
    response = add_tier(client, empty_set, [A], B)
    assert response.status_code == 302
    assert codes(empty_set) == ["A", "B"]


def test_the_form_has_no_order_numbers(client_for, people, auto_set):
    text = client_for(people.alice).get(page(auto_set)).content.decode()
    assert "ORDER" not in text


def move(client, criteria_set, code, direction, version=None):
    policy = TierPolicy.objects.get(segment=criteria_set.segment, year=2027)
    return client.post(
        reverse("evaluation:tier-policy-move", args=[criteria_set.pk]),
        {"code": code, "direction": direction, "version": version or policy.version},
    )


def test_the_down_button_moves_a_tier_one_place_later(client_for, people, auto_set):
    response = move(client_for(people.alice), auto_set, "A", "down")
    assert response.status_code == 302 and response.url == page(auto_set)
    assert codes(auto_set) == ["B", "A", "C"]


def test_the_up_button_moves_a_tier_one_place_earlier(client_for, people, auto_set):
    move(client_for(people.alice), auto_set, "C", "up")
    assert codes(auto_set) == ["A", "C", "B"]
    assert TierPolicy.objects.get(segment=auto_set.segment, year=2027).version == 2


def test_the_first_tier_cannot_move_up(client_for, people, auto_set):
    response = move(client_for(people.alice), auto_set, "A", "up")
    assert response.status_code == 302
    assert codes(auto_set) == ["A", "B", "C"]


@pytest.mark.parametrize(("code", "direction"), [("Z", "up"), ("A", "sideways"), ("", "")])
def test_a_bad_move_is_refused_with_a_message(client_for, people, auto_set, code, direction):
    response = move(client_for(people.alice), auto_set, code, direction)
    assert response.status_code == 302
    assert codes(auto_set) == ["A", "B", "C"]


def test_a_move_over_a_newer_policy_is_refused(client_for, people, auto_set):
    client = client_for(people.alice)
    move(client, auto_set, "A", "down")
    move(client, auto_set, "B", "down", version=1)  # the page was loaded before the first move
    assert codes(auto_set) == ["B", "A", "C"]


def test_a_segment_manager_cannot_move_another_segments_tiers(client_for, people, auto_set):
    assert move(client_for(people.eve), auto_set, "A", "down").status_code == 403
    assert codes(auto_set) == ["A", "B", "C"]


def test_the_tiers_of_a_locked_set_cannot_move(client_for, people, auto_set):
    services.criteria_set_lock(criteria_set=auto_set)
    assert move(client_for(people.bob), auto_set, "A", "down").status_code == 403


def test_the_page_lists_the_tiers_in_order_with_what_each_takes(client_for, people, auto_set):
    response = client_for(people.alice).get(page(auto_set))
    text = response.content.decode()
    assert [row["tier"].code for row in response.context["tier_rows"]] == ["A", "B", "C"]
    assert (
        "Takes the top 10 % of eligible customers (rounded up) not yet tiered, in rank order."
        in text
    )
    assert "Takes every customer not yet tiered whose total is at least 60." in text
    assert "Takes the first 50 eligible customers not yet tiered, in rank order." in text
    assert 'data-testid="move-down-A"' in text and 'data-testid="move-up-A"' not in text


def test_the_page_says_how_equal_totals_are_split(client_for, people, auto_set):
    text = client_for(people.carol).get(page(auto_set)).content.decode()
    assert "Customers with equal totals are ranked by completeness (higher first)" in text


def test_a_tier_after_one_that_takes_everyone_is_warned_about(client_for, people, auto_set):
    everyone = ("A", "全部", "min_score", "0", 1, "")
    response = client_for(people.alice).post(
        page(auto_set), tier_data(1, [everyone, B]), follow=True
    )
    text = response.content.decode()
    assert "Tier B: Tier A before it already takes every eligible customer" in text


def test_a_higher_minimum_after_a_lower_one_is_warned_about(client_for, people, auto_set):
    low = ("B", "发展", "min_score", "50", 1, "")
    high = ("A", "重点", "min_score", "70", 2, "")
    client_for(people.alice).post(page(auto_set), tier_data(1, [low, high]))
    text = client_for(people.alice).get(page(auto_set)).content.decode()
    assert "Tier B before it already takes every customer with a total of 50 or more" in text


def test_a_stored_top_n_of_zero_is_warned_about_on_the_set_page(client_for, people, auto_set):
    Tier.objects.filter(code="C").update(rule_value=0)
    text = client_for(people.alice).get(auto_set.get_absolute_url()).content.decode()
    assert "It takes 0 customers: this tier can never take anyone." in text


def test_the_chinese_tier_page_says_what_each_tier_takes(
    client, settings, client_for, people, auto_set
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    text = client_for(people.alice).get(page(auto_set)).content.decode()
    assert "选取总分不低于 60 且尚未分级的所有客户。" in text
    assert "总分相同的客户先按完整度排序" in text
