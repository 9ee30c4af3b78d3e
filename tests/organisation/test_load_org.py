import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from organisation.models import BusinessGroup, BusinessUnit, Segment
from organisation.services import org_load, parse_org_file

DOCUMENT = {
    "business_groups": [
        {
            "code": "BG1",
            "name_zh": "制造业务群",
            "name_en": "Manufacturing BG",
            "business_units": [
                {
                    "code": "BU1",
                    "name_zh": "离散制造",
                    "name_en": "Discrete",
                    "segments": [
                        {"code": "S1", "name_zh": "汽车", "name_en": "Auto"},
                        {"code": "S2", "name_zh": "电子", "name_en": "Electronics"},
                    ],
                }
            ],
        }
    ]
}


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English here; the Chinese catalogue is tested separately."""
    with translation.override("en"):
        yield


def write(tmp_path, content, name="org.json"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def counts():
    return BusinessGroup.objects.count(), BusinessUnit.objects.count(), Segment.objects.count()


class TestLoadOrg:
    def test_it_creates_the_tree(self, db):
        result = org_load(document=DOCUMENT)
        assert result.created == {"bg": 1, "bu": 1, "segment": 2}
        segment = Segment.objects.get(code="S2")
        assert segment.business_unit.business_group.code == "BG1"
        assert segment.name_en == "Electronics"

    def test_it_is_idempotent(self, db):
        org_load(document=DOCUMENT)
        result = org_load(document=DOCUMENT)
        assert counts() == (1, 1, 2)
        assert result.created == result.updated == {"bg": 0, "bu": 0, "segment": 0}

    def test_it_updates_names_by_code(self, db):
        org_load(document=DOCUMENT)
        changed = json.loads(json.dumps(DOCUMENT))
        changed["business_groups"][0]["business_units"][0]["segments"][0]["name_zh"] = "汽车零部件"
        result = org_load(document=changed)
        assert result.updated["segment"] == 1
        assert Segment.objects.get(code="S1").name_zh == "汽车零部件"

    def test_it_refuses_to_move_a_unit_to_another_parent(self, db):
        org_load(document=DOCUMENT)
        moved = {
            "business_groups": [
                {
                    "code": "BG9",
                    "name_zh": "新",
                    "business_units": [{"code": "BU1", "name_zh": "离散制造"}],
                }
            ]
        }
        with pytest.raises(ValidationError) as error:
            org_load(document=moved)
        assert "BU1" in error.value.messages[0]
        assert not BusinessGroup.objects.filter(code="BG9").exists()

    @pytest.mark.parametrize(
        ("document", "fragment"),
        [
            ([], "business_groups"),
            ({"business_groups": [{"name_zh": "无代码"}]}, "“code” is required"),
            ({"business_groups": [{"code": "BG1"}]}, "“name_zh” is required"),
            ({"business_groups": [{"code": "B G", "name_zh": "x"}]}, "code “B G”"),
            ({"business_groups": [{"code": "BG1", "name_zh": "x", "colour": 1}]}, "unknown field"),
            ({"business_groups": [{"code": "BG1", "name_zh": "x" * 101}]}, "at most 100"),
            ({"business_groups": [{"code": "BG1", "name_zh": 5}]}, "must be text"),
            (
                {"business_groups": [{"code": "BG1", "name_zh": "x", "business_units": {}}]},
                "must be a list",
            ),
            (
                {
                    "business_groups": [
                        {"code": "BG1", "name_zh": "a"},
                        {"code": "BG1", "name_zh": "b"},
                    ]
                },
                "used twice",
            ),
        ],
    )
    def test_it_refuses_a_bad_document_whole(self, db, document, fragment):
        with pytest.raises(ValidationError) as error:
            org_load(document=document)
        assert any(fragment in message for message in error.value.messages)
        assert counts() == (0, 0, 0)

    def test_it_lists_every_problem_not_just_the_first(self, db):
        document = {"business_groups": [{"code": "", "name_zh": ""}, {"code": "OK"}]}
        with pytest.raises(ValidationError) as error:
            org_load(document=document)
        assert len(error.value.messages) == 3

    def test_a_valid_group_is_not_written_when_a_later_one_is_bad(self, db):
        document = {
            "business_groups": [
                DOCUMENT["business_groups"][0],
                {"code": "BG2", "name_zh": "", "business_units": []},
            ]
        }
        with pytest.raises(ValidationError):
            org_load(document=document)
        assert counts() == (0, 0, 0)


class TestParseOrgFile:
    def test_it_accepts_a_byte_order_mark(self):
        raw = "\ufeff" + json.dumps(DOCUMENT, ensure_ascii=False)
        assert parse_org_file(raw.encode("utf-8"))["business_groups"][0]["code"] == "BG1"

    def test_it_names_the_line_of_malformed_json(self):
        with pytest.raises(ValidationError) as error:
            parse_org_file(b'{\n  "business_groups": [\n}')
        assert "line 3" in error.value.messages[0]

    def test_it_refuses_non_utf8(self):
        with pytest.raises(ValidationError) as error:
            parse_org_file("{}".encode("utf-16"))
        assert "UTF-8" in error.value.messages[0]


class TestLoadOrgCommand:
    def test_it_loads_a_file(self, db, tmp_path, capsys):
        call_command("load_org", str(write(tmp_path, DOCUMENT)))
        assert "created 1 BG, 1 BU, 2 segments" in capsys.readouterr().out
        assert counts() == (1, 1, 2)

    def test_it_reports_reasons_without_a_traceback(self, db, tmp_path):
        path = write(tmp_path, {"business_groups": [{"code": "BG1"}]})
        with pytest.raises(CommandError, match="name_zh"):
            call_command("load_org", str(path))

    def test_it_reports_a_missing_file(self, db, tmp_path):
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("load_org", str(tmp_path / "nope.json"))
