"""A researcher fills both survey forms of a customer in the browser and sees its
completeness rise; an account manager reads the customer but cannot edit its facts."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from customers.models import Contact, CustomerYear
from tests.conftest import PASSWORD
from tests.factories import CustomerFactory, attribute_with_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def customer(org, people):
    attribute = attribute_with_options("outsourcing_attitude", "open", "neutral", "closed")
    attribute.name_zh = "外包接受程度"
    attribute.save()
    return CustomerFactory(
        name_zh="杭州恒达机械装备有限公司",
        business_unit=org.bu1,
        segments=[org.auto],
        region="zhejiang",
        industry="machinery",
        data_steward=people.erin,
    )


def test_a_researcher_fills_both_forms(page, live_server, log_in, screenshot, customer):
    log_in("erin", PASSWORD)
    page.get_by_role("link", name="客户", exact=True).click()
    page.get_by_label("搜索").fill("恒达")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=customer.name_zh).click()
    expect(page.get_by_test_id("completeness")).to_contain_text("缺少")

    page.get_by_test_id("preliminary-form-link").click()
    page.get_by_label("营业收入（元）").fill("350000000")
    page.get_by_label("员工人数").fill("1200")
    page.get_by_label("外包接受程度").select_option(label="open")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")

    page.get_by_test_id("target-form-link").click()
    form = page.get_by_test_id("target-form")
    form.get_by_label("利润（元）").fill("21000000")
    form.get_by_label("IT 预算（元）").fill("5000000")
    form.get_by_label("实际 IT 支出（元）").fill("4200000")
    form.get_by_label("IT 人员数").fill("40")
    form.get_by_label("业务战略").fill("扩大产能，进入东南亚市场")
    form.get_by_label("IT 系统及主要供应商").fill("SAP ERP，自建 MES")
    form.get_by_label("计划中的 IT 项目").fill("供应链协同平台")
    contact = page.get_by_test_id("contact-form").first
    contact.get_by_label("姓名").fill("王建华")
    contact.get_by_label("职务").fill("首席信息官")
    contact.get_by_label("采购角色").select_option("decision_maker")
    contact.get_by_label("关键决策者").check()
    screenshot("customer-target-form")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("completeness")).to_contain_text("100%")
    expect(page.get_by_test_id("contacts")).to_contain_text("王建华")
    expect(page.get_by_test_id("history")).to_contain_text("Erin")
    screenshot("customer-detail-complete")
    facts = CustomerYear.objects.get(customer=customer, year=THIS_YEAR)
    assert facts.completeness == 100 and facts.employees == 1200
    assert Contact.objects.get(customer=customer).is_key_decision_maker


def test_an_account_manager_reads_but_cannot_fill_the_forms(page, live_server, log_in, customer):
    log_in("dave", PASSWORD)
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    expect(page.get_by_role("heading", name=customer.name_zh)).to_be_visible()
    expect(page.get_by_test_id("preliminary-form-link")).to_have_count(0)
    page.goto(f"{live_server.url}/customers/{customer.pk}/{THIS_YEAR}/preliminary-form/")
    expect(page.get_by_role("heading", name="您无权执行此操作")).to_be_visible()
