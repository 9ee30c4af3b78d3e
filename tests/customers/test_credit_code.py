import pytest
from hypothesis import given
from hypothesis import strategies as st

from customers import credit_code

VALID = "91350100M000100Y43"  # a published example
body = st.text(alphabet=credit_code.ALPHABET, min_size=9, max_size=9)
division = st.integers(min_value=110000, max_value=659999).map(str)


@given(
    division=division, organisation=body, kind=st.sampled_from(["11", "12", "51", "91", "92", "93"])
)
def test_a_code_with_its_computed_check_character_is_valid(division, organisation, kind):
    first_17 = kind + division + organisation
    assert credit_code.is_valid(first_17 + credit_code.check_character(first_17))


@given(
    position=st.integers(min_value=0, max_value=17),
    replacement=st.sampled_from(credit_code.ALPHABET),
)
def test_changing_any_one_character_breaks_the_check(position, replacement):
    if VALID[position] == replacement or (2 <= position < 8 and not replacement.isdigit()):
        return
    changed = VALID[:position] + replacement + VALID[position + 1 :]
    assert not credit_code.is_valid(changed)


def test_the_published_example_is_valid():
    assert credit_code.problem(VALID) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M000100Y4I", "characters"),
        ("91350100m000100Y43", "characters"),
        ("9135A100M000100Y43", "division"),
        ("91350100M000100Y44", "check"),
    ],
)
def test_each_problem_is_named(code, problem):
    assert credit_code.problem(code) == problem


def test_normalise_trims_and_upper_cases_full_width_input():
    assert credit_code.normalise(" ９１350100m000100y43 ") == VALID
