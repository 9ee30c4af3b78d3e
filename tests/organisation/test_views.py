from django.urls import reverse


def detail(unit_level, code):
    return reverse("organisation:unit-detail", args=[unit_level, code])


class TestOrgTree:
    def test_it_shows_a_segment_manager_only_its_branch(self, people, client_for):
        page = client_for(people.alice).get(reverse("organisation:unit-list")).content.decode()
        assert "AUTO" in page and "BU1" in page and "BG1" in page
        assert "ELEC" not in page and "CHEM" not in page and "BG2" not in page

    def test_it_shows_a_bg_vp_its_whole_group(self, people, client_for):
        page = client_for(people.carol).get(reverse("organisation:unit-list")).content.decode()
        assert all(code in page for code in ["AUTO", "ELEC", "CHEM", "BU2"])
        assert "BANK" not in page

    def test_it_shows_nothing_to_a_user_without_a_role(self, people, client_for):
        response = client_for(people.judy).get(reverse("organisation:unit-list"))
        assert response.status_code == 200
        assert "AUTO" not in response.content.decode()


class TestUnitDetail:
    def test_it_lists_the_people_of_a_unit(self, people, client_for):
        page = client_for(people.bob).get(detail("bu", "BU1")).content.decode()
        assert "Bob" in page and "Dave" in page

    def test_it_checks_access(self, people, client_for):
        assert client_for(people.grace).get(detail("segment", "AUTO")).status_code == 403

    def test_it_refuses_a_segment_manager_the_sibling_segment(self, people, client_for):
        assert client_for(people.alice).get(detail("segment", "ELEC")).status_code == 403

    def test_it_refuses_the_other_business_group(self, people, client_for):
        assert client_for(people.carol).get(detail("bg", "BG2")).status_code == 403

    def test_an_unknown_level_is_not_found(self, people, client_for):
        assert client_for(people.carol).get("/org/planet/BG1/").status_code == 404

    def test_an_unknown_code_is_not_found(self, people, client_for):
        assert client_for(people.carol).get(detail("bg", "NOPE")).status_code == 404
