"""The reads the customer pages use, one behaviour a test."""

from customers.models import AttributeValue, Customer, CustomerYear
from tests.factories import CustomerFactory, CustomerYearFactory


def test_with_org_and_people_loads_the_bg_and_the_people_in_one_query(
    acme, django_assert_num_queries
):
    with django_assert_num_queries(1):
        customer = Customer.objects.with_org_and_people().get(pk=acme.pk)
        names = (
            customer.business_unit.business_group.code,
            customer.data_steward.username,
            customer.account_manager.username,
        )
    assert names == ("BG1", "erin", "dave")


def test_list_rows_by_id_keeps_only_the_ids_asked_for(acme, org):
    CustomerFactory(business_unit=org.bu1)
    assert list(Customer.objects.list_rows_by_id([acme.pk], 2025)) == [acme.pk]


def test_list_rows_by_id_carry_the_year_s_completeness(acme):
    CustomerYearFactory(customer=acme, year=2025, completeness=40)
    rows = Customer.objects.list_rows_by_id([acme.pk], 2025)
    assert rows[acme.pk].year_completeness == 40


def test_list_rows_by_id_have_no_completeness_for_a_year_without_facts(acme):
    assert Customer.objects.list_rows_by_id([acme.pk], 2025)[acme.pk].year_completeness is None


def test_of_is_the_customer_s_facts_of_the_year(acme):
    CustomerYearFactory(customer=acme, year=2024)
    facts = CustomerYearFactory(customer=acme, year=2025)
    assert CustomerYear.objects.of(acme, 2025) == facts


def test_of_is_none_for_a_year_without_facts(acme):
    assert CustomerYear.objects.of(acme, 2025) is None


def test_year_numbers_are_the_years_with_facts_newest_first(acme):
    CustomerYearFactory(customer=acme, year=2024)
    CustomerYearFactory(customer=acme, year=2025)
    assert list(acme.years.year_numbers()) == [2025, 2024]


def test_ratings_of_keeps_the_customer_s_ratings_of_the_year(acme, outsourcing):
    option = outsourcing.options.get(key="open")
    rating = AttributeValue.objects.create(
        customer=acme, year=2025, attribute=outsourcing, option=option
    )
    AttributeValue.objects.create(customer=acme, year=2024, attribute=outsourcing, option=option)
    assert list(AttributeValue.objects.ratings_of(acme, 2025)) == [rating]


def test_with_business_unit_loads_the_bu_in_the_same_query(acme, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Customer.objects.with_business_unit().get(pk=acme.pk).business_unit.code == "BU1"
