import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from customers.models import Customer


class CustomerTable(tables.Table):
    name_zh = tables.Column(verbose_name=_("Customer"), linkify=True, order_by=("name_zh",))
    credit_code = tables.Column(verbose_name=_("Credit code"), empty_values=(None, ""), default="—")
    business_unit = tables.Column(verbose_name=_("BU"), accessor="business_unit__code")
    region = tables.Column(
        verbose_name=_("Region"), accessor="get_region_display", order_by=("region",)
    )
    industry = tables.Column(
        verbose_name=_("Industry"), accessor="get_industry_display", order_by=("industry",)
    )
    status = tables.Column(
        verbose_name=_("Status"), accessor="get_status_display", order_by=("status",)
    )
    completeness = tables.Column(
        verbose_name=_("Completeness"), accessor="year_completeness", default=None
    )
    data_steward = tables.Column(verbose_name=_("Data steward"), default="—", orderable=False)

    class Meta:
        model = Customer
        fields = ["name_zh", "credit_code", "business_unit", "region", "industry", "status"]
        sequence = [
            "name_zh",
            "credit_code",
            "business_unit",
            "region",
            "industry",
            "status",
            "completeness",
            "data_steward",
        ]
        attrs = {
            "class": "table table-sm table-hover align-middle",
            "data-testid": "customer-table",
        }
        order_by = ("name_zh",)

    def render_name_zh(self, record):
        if record.name_en:
            return format_html(
                "{}<br><small class='text-muted'>{}</small>", record.name_zh, record.name_en
            )
        return record.name_zh

    def render_completeness(self, value):
        if value is None:
            return "—"
        colour = "success" if value == 100 else "warning" if value >= 50 else "danger"
        return format_html("<span class='badge text-bg-{}'>{}%</span>", colour, value)

    def render_data_steward(self, value):
        return value.get_full_name() or value.username
