"""Included at /api/ by prioritizer/urls.py. Token-authenticated; Django's login-required
middleware is bypassed here because DRF authenticates (and refuses) these requests itself."""

from inquiries.api import api_urlpatterns

app_name = "inquiries-api"

urlpatterns = api_urlpatterns()
