from django.contrib import admin

from inquiries.models import (
    Inquiry,
    InquiryEvent,
    InquiryFollowUp,
    InquiryRollup,
    InquiryRollupLine,
)


class FollowUpInline(admin.TabularInline):
    model = InquiryFollowUp
    fields = ["happened_on", "feedback", "next_steps", "by"]
    extra = 0


class EventInline(admin.TabularInline):
    model = InquiryEvent
    extra = 0
    readonly_fields = ["kind", "at", "by", "text"]
    can_delete = False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["company_name", "received_at", "channel", "segment", "decision", "logged_by"]
    list_filter = ["channel", "decision", "business_unit", "via"]
    search_fields = ["company_name", "credit_code", "contact_name"]
    date_hierarchy = "received_at"
    raw_id_fields = ["customer", "possible_duplicate_of", "referred_from"]
    readonly_fields = ["normalised_name", "created_at", "updated_at", "days_to_decision"]
    inlines = [FollowUpInline, EventInline]


class RollupLineInline(admin.TabularInline):
    model = InquiryRollupLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "business_unit",
        "segment",
        "owner",
        "channel",
        "decision",
        "count",
        "conversions",
        "still_open",
        "median_days_to_decision",
    ]


@admin.register(InquiryRollup)
class InquiryRollupAdmin(admin.ModelAdmin):
    list_display = ["month", "inquiries", "computed_at", "notified_at"]
    readonly_fields = ["month", "inquiries", "computed_at", "notified_at"]
    inlines = [RollupLineInline]
