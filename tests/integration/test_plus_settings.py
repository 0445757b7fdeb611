import pytest

from equity import plus

FLAGS = ["Young parent (under 20)"]


def test_defaults_then_a_place_changes_its_groups(store_url):
    store = store_url  # a DuckDB file, then a PostgreSQL database
    assert plus.groups_for(store, ("Blackpool",), FLAGS) == {"Blackpool": plus.vocabulary(FLAGS)}
    plus.set_groups(store, "Blackpool", ["rural"], "A. Analyst", FLAGS)
    groups = plus.groups_for(store, ("Blackpool", "Lancashire"), FLAGS)
    assert groups["Blackpool"] == ["rural"]
    assert groups["Lancashire"] == plus.vocabulary(FLAGS)  # other Places keep the default
    plus.set_groups(store, "Blackpool", [], "A. Analyst", FLAGS)  # a Place may count no PLUS group
    assert plus.groups_for(store, ("Blackpool",), FLAGS)["Blackpool"] == []
    history = plus.history(store)
    assert list(history["new_groups"]) == ["", "rural"]
    assert history["changed_by"].eq("A. Analyst").all()


def test_bad_settings_are_refused_and_nothing_is_written(store_url):
    store = store_url
    with pytest.raises(plus.PlusSettingError, match="unknown Place 'Cumbria'"):
        plus.set_groups(store, "Cumbria", ["rural"], "me", FLAGS)
    with pytest.raises(plus.PlusSettingError, match="unknown PLUS group"):
        plus.set_groups(store, "Blackpool", ["flag:Other"], "me", FLAGS)
    with pytest.raises(plus.PlusSettingError, match="who is making the change"):
        plus.set_groups(store, "Blackpool", ["rural"], "  ", FLAGS)
    assert plus.history(store).empty
