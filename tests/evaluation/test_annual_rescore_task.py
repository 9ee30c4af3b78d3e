from evaluation.tasks import annual_rescore


def test_it_reports_every_segment_skipped_while_no_criteria_set_exists(org):
    report = annual_rescore(year=2027)
    assert report["year"] == 2027
    assert report["scored"] == []
    assert sorted(report["skipped"]) == ["AUTO", "BANK", "CHEM", "ELEC", "RETL"]
