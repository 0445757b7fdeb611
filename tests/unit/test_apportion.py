import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from geo.apportion import apportion_counts, largest_remainder


def test_largest_remainder_worked_example():
    # 10 split 1:1:1 -> exact 3.33 each; floors 3,3,3 and the one left goes to the first (ties -> earlier)
    assert largest_remainder(10, np.array([1.0, 1.0, 1.0])).tolist() == [4, 3, 3]
    # 7 split 0.5/0.3/0.2 -> exact 3.5, 2.1, 1.4 -> floors 3,2,1 (6); largest remainder 0.5 -> first
    assert largest_remainder(7, np.array([5, 3, 2])).tolist() == [4, 2, 1]


def test_zero_weights_fall_back_to_equal_split():
    assert largest_remainder(4, np.array([0.0, 0.0])).tolist() == [2, 2]


@given(st.integers(0, 10_000), st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=8))
def test_largest_remainder_preserves_total(total, weights):
    out = largest_remainder(total, np.array(weights))
    assert out.sum() == total
    assert (out >= 0).all()


def test_apportion_unchanged_merged_and_split():
    counts = pd.DataFrame({"src": ["U1", "M1", "M2", "S1"], "n": [10, 4, 6, 9]})
    links = pd.DataFrame(
        {
            "src": ["U1", "M1", "M2", "S1", "S1"],
            "dst": ["U1", "M", "M", "SA", "SB"],
            "w": [100, 50, 50, 200, 100],  # S1 splits 2:1 by residents
        }
    )
    out = apportion_counts(counts, links, source="src", target="dst", weight="w", value_columns=["n"])
    got = dict(zip(out["dst"], out["n"], strict=True))
    assert got == {"U1": 10, "M": 10, "SA": 6, "SB": 3}


def test_apportion_rejects_unlinked_source():
    counts = pd.DataFrame({"src": ["A", "B"], "n": [1, 2]})
    links = pd.DataFrame({"src": ["A"], "dst": ["X"], "w": [1]})
    try:
        apportion_counts(counts, links, source="src", target="dst", weight="w", value_columns=["n"])
    except ValueError as exc:
        assert "B" in str(exc)
    else:
        raise AssertionError("expected ValueError")
