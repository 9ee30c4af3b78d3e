"""The customer export opens in LibreOffice as openpyxl reads it (money, formula-looking text)."""

from customers.exporting import customers_export
from customers.models import Customer
from tests.customers.test_export import jia  # noqa: F401 - the fixture
from tests.libreoffice import reopened_by_libreoffice, sheets_of


def test_the_customer_export_opens_in_libreoffice_unchanged(jia, tmp_path):  # noqa: F811
    content, *_ = customers_export(Customer.objects.all(), year=2024, fmt="xlsx")
    assert reopened_by_libreoffice(content, tmp_path) == sheets_of(content)
