from hypothesis import given
from hypothesis import strategies as st

from customers.completeness import PRELIMINARY_FORM, all_fields, completeness


def test_empty_values_are_missing_in_form_order():
    result = completeness({"region": "beijing", "revenue": 0}, PRELIMINARY_FORM)
    assert result.missing == ("industry", "employees")
    assert result.percent == 50


def test_zero_counts_as_filled_but_false_does_not():
    assert completeness({"a": 0}, ("a",)).complete
    assert not completeness({"a": False}, ("a",)).complete


def test_attributes_are_part_of_the_fields():
    assert all_fields(["z_attr", "a_attr"])[-2:] == ("a_attr", "z_attr")


@given(
    st.dictionaries(
        st.sampled_from(PRELIMINARY_FORM), st.one_of(st.none(), st.just(""), st.integers())
    )
)
def test_filled_and_missing_always_add_up(values):
    result = completeness(values, PRELIMINARY_FORM)
    assert result.filled + len(result.missing) == result.total == len(PRELIMINARY_FORM)
    assert 0 <= result.percent <= 100
