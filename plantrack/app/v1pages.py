"""Streamlit treats an app with a `pages/` folder as an old-style (v1) multipage app and, for a deep link
such as /plan_detail, runs that page file *instead of* app.py: no shared sidebar, no 示例数据 banner.
The product keeps `pages/` but registers its pages with st.navigation, so the v1 handling is switched
off: by the server before it starts (plantrack.app.serve), and by app.py on every run (AppTest resets
the flag before each run). Touches Streamlit internals: check when upgrading Streamlit."""

from __future__ import annotations


def disable_v1_pages_folder() -> None:
    """Always run app.py as the main script, whatever the URL (app.py then calls st.navigation)."""
    import runpy

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    def run_main_script(main_script_path: str) -> None:
        runpy.run_path(main_script_path, run_name="__main__")

    PagesManager.uses_pages_directory = False
    # AppTest resets the flag before every run; the v1 runner itself is replaced for good measure.
    script_runner._mpa_v1 = run_main_script
