"""Downloads of target lists and the yearly documents built from them."""

urlpatterns: list = []
