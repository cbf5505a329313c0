"""Individual catalogue records whose content was corrected against the literature."""

from cayley.conjectures.catalogue import load_catalogue

CAT = load_catalogue()


def test_transposition_diameter_is_a_table_and_the_half_formula_is_refuted_at_13():
    table = CAT["transposons-diameter"]
    assert table.status == "theorem"
    # OEIS A065603, n = 1..15
    assert [table.expected(n) for n in range(1, 16)] == [0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 8, 8, 9]
    half = CAT["transposons-diameter-half"]
    assert half.status == "refuted" and half.counterexample == 13
    assert half.expected(13) == 7 != table.expected(13)
    assert all(half.expected(n) == table.expected(n) for n in range(3, 13))


def test_pancake_numbers_reach_n_19():
    record = CAT["pancake-diameter"]
    assert record.expected(18) == 20 and record.expected(19) == 22


def test_bubble_sort_antipode_starts_at_the_family_domain():
    assert CAT["coxeter-antipode"].n_min == 2
