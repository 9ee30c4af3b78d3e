"""The intake API: a web form or call-centre system posts inquiries with a user's token.

POST /api/inquiries/ (Authorization: Token …) creates one inquiry as that user, who must be
allowed to log inquiries for the segment; GET /api/inquiries/<id>/ reads one back. Bad input
comes back as 400 with messages per field, e.g. {"segment": ["Unknown segment “XX”."]}.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from inquiries import services
from inquiries.models import HANDLING_MAX, REQUEST_MAX, Channel, Inquiry, phone_validator
from organisation import permissions
from organisation.models import Segment
from organisation.permissions import Action
from prioritizer.clean_input import CleanInputSerializerMixin


class InquiryInSerializer(CleanInputSerializerMixin, serializers.Serializer):
    multiline_fields = ("request", "initial_handling")

    received_at = serializers.DateTimeField(required=False, help_text=_("Default: now."))
    channel = serializers.ChoiceField(choices=Channel.choices)
    segment = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Segment.objects.all(),
        error_messages={"does_not_exist": _("Unknown segment “{value}”.")},
        help_text=_("The market segment's code, e.g. AUTO."),
    )
    company_name = serializers.CharField(max_length=200)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=100)
    contact_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, validators=[phone_validator]
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    request = serializers.CharField(max_length=REQUEST_MAX)
    initial_handling = serializers.CharField(
        max_length=HANDLING_MAX, required=False, allow_blank=True
    )


class InquiryOutSerializer(serializers.ModelSerializer):
    segment = serializers.SlugRelatedField(slug_field="code", read_only=True)
    business_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    possible_duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "url",
            "received_at",
            "channel",
            "business_unit",
            "segment",
            "company_name",
            "credit_code",
            "contact_name",
            "contact_phone",
            "contact_email",
            "request",
            "initial_handling",
            "customer",
            "possible_duplicate_of",
            "decision",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


def _field_errors(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in errors[0].messages]
            if len(errors) == 1
            else [str(m) for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


class InquiryCreateView(APIView):
    @extend_schema(request=InquiryInSerializer, responses={201: InquiryOutSerializer})
    def post(self, request):
        serializer = InquiryInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        segment = serializer.validated_data["segment"]
        if not permissions.can(request.user, Action.LOG_INQUIRY, segment):
            raise PermissionDenied(_("You may not log inquiries for this segment."))
        try:
            inquiry = services.inquiry_log(
                by=request.user, data=serializer.validated_data, via=Inquiry.Via.API
            )
        except DjangoValidationError as error:
            return Response(_field_errors(error), status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied() from error
        return Response(InquiryOutSerializer(inquiry).data, status=status.HTTP_201_CREATED)


class InquiryDetailView(APIView):
    @extend_schema(responses={200: InquiryOutSerializer})
    def get(self, request, pk: int):
        inquiry = get_object_or_404(Inquiry.objects.with_org(), pk=pk)
        if inquiry.logged_by_id != request.user.pk and not permissions.can(
            request.user, Action.VIEW_INQUIRIES, inquiry
        ):
            raise PermissionDenied()
        return Response(InquiryOutSerializer(inquiry).data)


def api_urlpatterns():
    from django.contrib.auth.decorators import login_not_required

    return [
        path(
            "inquiries/",
            login_not_required(InquiryCreateView.as_view()),
            name="api-inquiry-create",
        ),
        path(
            "inquiries/<int:pk>/",
            login_not_required(InquiryDetailView.as_view()),
            name="api-inquiry-detail",
        ),
    ]
