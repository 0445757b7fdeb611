import pandas as pd
import pytest

from equity.need import NeedModel, add_expected, need_adjusted


def test_expected_by_hand():
    # two areas: decile 1 (need 34%) with 100 children, decile 10 (need 15%) with 200 children.
    # children in need: 34 and 30 -> 64; observed 16 + 16 = 32 referrals -> 0.5 per child in need
    # expected: 17 and 15; O/E = 16/17 = 0.941176..., 16/15 = 1.066666...
    frame = pd.DataFrame({"imd_decile": [1, 10], "denominator": [100, 200], "referrals": [16, 16], "g": ["a", "b"]})
    out = add_expected(frame, "referrals", NeedModel())
    assert out["children_in_need"].tolist() == pytest.approx([34.0, 30.0])
    assert out["expected"].tolist() == pytest.approx([17.0, 15.0])
    table = need_adjusted(frame, "g", "referrals", NeedModel()).set_index("group")
    assert table.loc["a", "ratio"] == pytest.approx(16 / 17)
    assert table.loc["b", "ratio"] == pytest.approx(16 / 15)
    assert (table["lower_95"] < table["ratio"]).all() and (table["ratio"] < table["upper_95"]).all()
    assert (table["lower_998"] < table["lower_95"]).all()


def test_flat_need_gives_population_shares():
    frame = pd.DataFrame({"imd_decile": [1, 10], "denominator": [100, 300], "referrals": [10, 30], "g": ["a", "b"]})
    table = need_adjusted(frame, "g", "referrals", NeedModel(least=0.2, most=0.2))
    assert table["ratio"].tolist() == pytest.approx([1.0, 1.0])


def test_need_model_is_validated():
    with pytest.raises(ValueError, match="most"):
        NeedModel(most=1.5)


def test_reference_population_sets_the_rate():
    # the selection is area "a" only; the reference (whole ICB) has 64 children in need and 32 referrals,
    # so 0.5 referrals per child in need: "a" (34 in need, 16 referrals) expects 17 -> 16/17, not 1
    icb = pd.DataFrame({"imd_decile": [1, 10], "denominator": [100, 200], "referrals": [16, 16], "g": ["a", "b"]})
    selected = icb.iloc[[0]]
    alone = need_adjusted(selected, "g", "referrals", NeedModel())
    assert alone["ratio"].iloc[0] == pytest.approx(1.0)
    against_icb = need_adjusted(selected, "g", "referrals", NeedModel(), reference=icb)
    assert against_icb["ratio"].iloc[0] == pytest.approx(16 / 17)
