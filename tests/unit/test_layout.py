"""The layout the project agreed (README, Layout): page files only in section folders of pages/."""

from pathlib import Path

from equity.settings import REPO_ROOT

PAGES = REPO_ROOT / "pages"


def test_no_page_file_directly_in_pages():
    # a .py file directly in pages/ starts Streamlit in its old multipage mode, which runs that file alone,
    # without app.py and its sidebar, when a fresh server's first request names it
    assert PAGES.is_dir()
    assert sorted(p.name for p in PAGES.glob("*.py")) == []


def test_every_page_of_the_navigation_is_a_file_in_a_section_folder():
    app = (REPO_ROOT / "app.py").read_text()
    pages = sorted(str(p.relative_to(REPO_ROOT)) for p in PAGES.rglob("*.py"))
    assert len(pages) >= 10
    for page in pages:
        assert len(Path(page).parts) == 3, page  # pages/<section>/<page>.py
        assert f'"{page}"' in app, f"{page} is not in app.py's navigation"


def test_views_folder_is_gone():
    assert not (REPO_ROOT / "views").exists()


def test_visitors_never_see_exception_details():
    # an unexpected error must not show visitors its message, traceback or server paths
    import tomllib

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
