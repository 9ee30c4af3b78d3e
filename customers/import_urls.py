"""URLs of customer import (filled by the import work)."""

urlpatterns: list = []
