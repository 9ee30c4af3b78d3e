"""The OpenAPI schema view, reachable with a token as well as a session."""

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated


def schema_view():
    return login_not_required(SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]))
