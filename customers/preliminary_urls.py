"""URLs of the preliminary annual lists (filled by the preliminary-list work)."""

urlpatterns: list = []
