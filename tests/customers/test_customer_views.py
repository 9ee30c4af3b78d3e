import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import AttributeValue, Contact, Customer, CustomerYear
from tests.factories import CustomerFactory

THIS_YEAR = timezone.localdate().year


def detail(customer):
    return reverse("customers:customer-detail", args=[customer.pk])


class TestCustomerList:
    def test_it_shows_the_customers_of_the_users_bu(self, people, client_for, acme, org):
        CustomerFactory(name_zh="别的事业部客户", business_unit=org.bu2)
        page = client_for(people.erin).get(reverse("customers:customer-list")).content.decode()
        assert acme.name_zh in page and "别的事业部客户" not in page

    def test_a_segment_manager_sees_only_its_segments_customers(
        self, people, client_for, acme, org
    ):
        CustomerFactory(name_zh="电子客户", business_unit=org.bu1, segments=[org.elec])
        page = client_for(people.alice).get(reverse("customers:customer-list")).content.decode()
        assert acme.name_zh in page and "电子客户" not in page

    def test_a_bg_vp_sees_its_whole_group(self, people, client_for, acme, org):
        CustomerFactory(name_zh="化工客户", business_unit=org.bu2)
        CustomerFactory(name_zh="银行客户", business_unit=org.bu3)
        page = client_for(people.carol).get(reverse("customers:customer-list")).content.decode()
        assert "化工客户" in page and acme.name_zh in page and "银行客户" not in page

    def test_a_user_without_a_role_is_refused(self, people, client_for):
        assert client_for(people.judy).get(reverse("customers:customer-list")).status_code == 403

    @pytest.mark.parametrize(
        "query", ["艾克美", "acme", "91350100M000100Y43", "91350100m000100y43"]
    )
    def test_it_searches_by_chinese_or_english_name_or_code(
        self, people, client_for, acme, org, query
    ):
        CustomerFactory(name_zh="其他公司", business_unit=org.bu1)
        page = (
            client_for(people.erin)
            .get(reverse("customers:customer-list"), {"q": query})
            .content.decode()
        )
        assert acme.name_zh in page and "其他公司" not in page

    def test_it_filters_by_completeness_of_the_year(self, people, client_for, acme, org):
        CustomerYear.objects.create(customer=acme, year=THIS_YEAR, completeness=100)
        half = CustomerFactory(name_zh="一半公司", business_unit=org.bu1)
        CustomerYear.objects.create(customer=half, year=THIS_YEAR, completeness=50)
        url = reverse("customers:customer-list")
        page = (
            client_for(people.erin)
            .get(url, {"completeness": "partial", "year": THIS_YEAR})
            .content.decode()
        )
        assert "一半公司" in page and acme.name_zh not in page

    def test_archived_customers_are_hidden_unless_asked(self, people, client_for, acme):
        acme.archived_at = timezone.now()
        acme.save()
        client = client_for(people.erin)
        assert acme.name_zh not in client.get(reverse("customers:customer-list")).content.decode()
        shown = client.get(
            reverse("customers:customer-list"), {"archived": "true"}
        ).content.decode()
        assert acme.name_zh in shown

    def test_it_sorts_by_completeness(self, people, client_for, acme, org):
        CustomerYear.objects.create(customer=acme, year=THIS_YEAR, completeness=30)
        full = CustomerFactory(name_zh="完整公司", business_unit=org.bu1)
        CustomerYear.objects.create(customer=full, year=THIS_YEAR, completeness=100)
        url = reverse("customers:customer-list")
        response = client_for(people.erin).get(url, {"sort": "-completeness", "year": THIS_YEAR})
        assert [c.name_zh for c in response.context["page"]] == ["完整公司", acme.name_zh]

    def test_an_unknown_sort_key_falls_back_to_the_name(self, people, client_for, acme):
        response = client_for(people.erin).get(
            reverse("customers:customer-list"), {"sort": "password"}
        )
        assert response.status_code == 200 and response.context["sort"] == "name"

    def test_a_deep_page_past_the_end_shows_the_last_page(self, people, client_for, acme):
        response = client_for(people.erin).get(reverse("customers:customer-list"), {"page": 999})
        assert response.context["page"].number == 1

    def test_html_in_names_is_shown_escaped(self, people, client_for, org):
        CustomerFactory(name_zh="<script>alert(1)</script>", business_unit=org.bu1)
        page = client_for(people.erin).get(reverse("customers:customer-list")).content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


class TestCustomerDetail:
    def test_it_checks_access(self, people, client_for, acme):
        assert client_for(people.grace).get(detail(acme)).status_code == 403
        assert client_for(people.judy).get(detail(acme)).status_code == 403

    def test_an_account_manager_of_the_bu_may_read(self, people, client_for, acme):
        assert client_for(people.dave).get(detail(acme)).status_code == 200

    def test_it_lists_missing_fields(self, people, client_for, acme, outsourcing):
        missing = client_for(people.erin).get(detail(acme)).context["missing"]
        assert "营业收入（元）" in missing and outsourcing.name_zh in missing
        assert "地区" in missing and "关键决策者" in missing

    def test_it_shows_the_history_of_changes(self, people, client_for, acme):
        client = client_for(people.erin)
        client.post(
            reverse("customers:preliminary-form", args=[acme.pk, THIS_YEAR]),
            {"revenue": "1000000", "employees": "120"},
        )
        page = client.get(detail(acme)).content.decode()
        assert "Erin" in page or "erin" in page


class TestPreliminaryForm:
    def url(self, customer, year=THIS_YEAR):
        return reverse("customers:preliminary-form", args=[customer.pk, year])

    def test_a_researcher_fills_it(self, people, client_for, acme, outsourcing):
        option = outsourcing.options.get(key="open")
        response = client_for(people.erin).post(
            self.url(acme),
            {
                "revenue": "250000000.50",
                "employees": "800",
                f"attribute_{outsourcing.key}": option.pk,
            },
        )
        assert response.status_code == 302
        facts = CustomerYear.objects.get(customer=acme, year=THIS_YEAR)
        assert str(facts.revenue) == "250000000.50" and facts.employees == 800
        assert AttributeValue.objects.get(customer=acme, year=THIS_YEAR).option == option
        assert 0 < facts.completeness < 100

    def test_saving_records_one_history_entry_with_the_completeness(self, people, client_for, acme):
        client_for(people.erin).post(self.url(acme), {"revenue": "1000", "employees": "3"})
        records = CustomerYear.history.filter(customer_id=acme.pk)
        assert records.count() == 1 and records.get().completeness > 0

    @pytest.mark.parametrize("username", ["dave", "alice", "bob", "grace", "judy"])
    def test_only_researchers_of_the_bu_may_fill_it(self, people, client_for, acme, username):
        response = client_for(getattr(people, username)).post(self.url(acme), {"revenue": "1"})
        assert response.status_code == 403
        assert not CustomerYear.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [("revenue", "-5"), ("revenue", "abc"), ("employees", "-1"), ("employees", "1.5")],
    )
    def test_bad_numbers_are_refused_and_nothing_is_saved(
        self, people, client_for, acme, field, value
    ):
        response = client_for(people.erin).post(self.url(acme), {field: value})
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert not CustomerYear.objects.exists()

    def test_a_future_year_is_not_found(self, people, client_for, acme):
        assert client_for(people.erin).get(self.url(acme, THIS_YEAR + 1)).status_code == 404


class TestTargetForm:
    def test_a_researcher_fills_it_with_a_key_decision_maker(self, people, client_for, acme):
        data = {
            "profit": "-120000.00",
            "it_budget": "3000000",
            "it_spend": "2500000",
            "it_staff": "35",
            "business_strategy": "数字化转型",
            "it_landscape": "SAP",
            "planned_projects": "MES",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "30",
            "contacts-0-name": "王总",
            "contacts-0-title": "CIO",
            "contacts-0-buying_role": "decision_maker",
            "contacts-0-influence": "high",
            "contacts-0-attitude": "supporter",
            "contacts-0-is_key_decision_maker": "on",
        }
        url = reverse("customers:target-form", args=[acme.pk, THIS_YEAR])
        response = client_for(people.erin).post(url, data)
        assert response.status_code == 302
        assert Contact.objects.get(customer=acme).is_key_decision_maker
        assert CustomerYear.objects.get(customer=acme, year=THIS_YEAR).profit < 0

    def test_a_contact_with_a_bad_email_is_refused_whole(self, people, client_for, acme):
        url = reverse("customers:target-form", args=[acme.pk, THIS_YEAR])
        response = client_for(people.erin).post(
            url,
            {
                "it_staff": "3",
                "contacts-TOTAL_FORMS": "1",
                "contacts-INITIAL_FORMS": "0",
                "contacts-0-name": "李",
                "contacts-0-buying_role": "user",
                "contacts-0-email": "not-an-email",
            },
        )
        assert response.status_code == 200
        assert not CustomerYear.objects.exists() and not Contact.objects.exists()


class TestMasterData:
    def test_a_researcher_creates_a_customer(self, people, client_for, org):
        response = client_for(people.erin).post(
            reverse("customers:customer-create"),
            {
                "name_zh": "新客户有限公司",
                "business_unit": org.bu1.pk,
                "segments": [org.auto.pk],
                "status": "prospect",
            },
        )
        assert response.status_code == 302
        assert Customer.objects.get(name_zh="新客户有限公司").segments.get() == org.auto

    def test_a_bad_credit_code_gets_a_clear_message(self, people, client_for, org):
        response = client_for(people.erin).post(
            reverse("customers:customer-create"),
            {
                "name_zh": "新客户",
                "business_unit": org.bu1.pk,
                "status": "prospect",
                "credit_code": "91350100M000100Y44",
            },
        )
        assert "校验位不正确" in response.content.decode()
        assert not Customer.objects.exists()

    def test_a_segment_of_another_bu_is_refused(self, people, client_for, org):
        response = client_for(people.erin).post(
            reverse("customers:customer-create"),
            {
                "name_zh": "新客户",
                "business_unit": org.bu1.pk,
                "status": "prospect",
                "segments": [org.chem.pk],
            },
        )
        assert response.status_code == 200 and not Customer.objects.exists()

    def test_a_researcher_cannot_create_in_another_bu(self, people, client_for, org):
        response = client_for(people.erin).post(
            reverse("customers:customer-create"),
            {"name_zh": "新客户", "business_unit": org.bu2.pk, "status": "prospect"},
        )
        assert response.status_code == 200 and not Customer.objects.exists()

    def test_an_account_manager_cannot_create_customers(self, people, client_for):
        assert client_for(people.dave).get(reverse("customers:customer-create")).status_code == 403

    def test_archiving_keeps_the_customer(self, people, client_for, acme):
        client_for(people.erin).post(reverse("customers:customer-archive", args=[acme.pk]))
        acme.refresh_from_db()
        assert acme.is_archived and Customer.objects.filter(pk=acme.pk).exists()

    def test_only_researchers_archive(self, people, client_for, acme):
        assert (
            client_for(people.dave)
            .post(reverse("customers:customer-archive", args=[acme.pk]))
            .status_code
            == 403
        )


class TestRelationship:
    def url(self, customer):
        return reverse("customers:customer-relationship", args=[customer.pk])

    def test_the_owning_account_manager_edits_it(self, people, client_for, acme):
        response = client_for(people.dave).post(
            self.url(acme), {"status": "active", "relationship_notes": "已拜访"}
        )
        assert response.status_code == 302
        acme.refresh_from_db()
        assert acme.status == "active" and acme.relationship_notes == "已拜访"

    def test_another_account_manager_of_the_bu_is_refused(self, people, client_for, acme, org):
        from organisation.models import Role
        from tests.factories import RoleMembershipFactory

        other = RoleMembershipFactory(role=Role.ACCOUNT_MANAGER, business_unit=org.bu1).user
        assert client_for(other).post(self.url(acme), {"status": "active"}).status_code == 403


def test_sorting_by_completeness_descending_keeps_ties_by_name_ascending(people, client_for, org):
    for name in ["乙公司", "甲公司", "丙公司"]:
        customer = CustomerFactory(name_zh=name, business_unit=org.bu1)
        CustomerYear.objects.create(customer=customer, year=THIS_YEAR, completeness=50)
    response = client_for(people.erin).get(
        reverse("customers:customer-list"), {"sort": "-completeness", "year": THIS_YEAR}
    )
    names = [c.name_zh for c in response.context["page"]]
    assert names == sorted(names)


@pytest.mark.parametrize("sort", ["completeness", "-completeness"])
def test_customers_without_facts_for_the_year_sort_last_either_way(people, client_for, org, sort):
    CustomerFactory(name_zh="甲公司", business_unit=org.bu1)  # no facts this year
    for name, percent in [("乙公司", 20), ("丙公司", 90)]:
        customer = CustomerFactory(name_zh=name, business_unit=org.bu1)
        CustomerYear.objects.create(customer=customer, year=THIS_YEAR, completeness=percent)
    response = client_for(people.erin).get(
        reverse("customers:customer-list"), {"sort": sort, "year": THIS_YEAR}
    )
    assert [c.name_zh for c in response.context["page"]][-1] == "甲公司"


def test_pages_sorted_by_completeness_count_every_customer(people, client_for, org):
    CustomerFactory.create_batch(51, business_unit=org.bu1)
    response = client_for(people.erin).get(
        reverse("customers:customer-list"), {"sort": "-completeness", "page": 2}
    )
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 51, 1)


@pytest.mark.parametrize("number", ["9", "0", "x"])
def test_a_page_sorted_by_completeness_out_of_range_is_as_for_other_sorts(
    people, client_for, org, number
):
    CustomerFactory.create_batch(51, business_unit=org.bu1)
    url = reverse("customers:customer-list")
    client = client_for(people.erin)
    by_completeness = client.get(url, {"sort": "completeness", "page": number}).context["page"]
    by_name = client.get(url, {"sort": "name", "page": number}).context["page"]
    assert by_completeness.number == by_name.number


def test_search_takes_wildcards_literally(people, client_for, org):
    CustomerFactory(name_zh="甲_公司", business_unit=org.bu1)
    CustomerFactory(name_zh="甲乙公司", business_unit=org.bu1)
    page = (
        client_for(people.erin)
        .get(reverse("customers:customer-list"), {"q": "甲_"})
        .content.decode()
    )
    assert "甲_公司" in page and "甲乙公司" not in page


def test_the_filter_shows_the_chosen_options_selected(people, client_for, acme):
    page = (
        client_for(people.erin)
        .get(reverse("customers:customer-list"), {"region": "shanghai", "archived": "true"})
        .content.decode()
    )
    assert '<option value="shanghai" selected>' in page
    assert '<option value="true" selected>' in page
