"""plantrack — 定海区制造业规划进度看板. Run with `make run`."""

import streamlit as st

from plantrack import ui
from plantrack.navigation import PAGES

st.set_page_config(
    page_title="定海区制造业规划进度看板", page_icon=":material/factory:", layout="wide"
)

# Registered explicitly; the sidebar links are drawn below (Streamlit's own list is switched off in
# .streamlit/config.toml, as it would first flash the raw files of pages/).
pages = [
    st.Page(spec.path, title=spec.title, icon=spec.icon, default=index == 0)
    for index, spec in enumerate(PAGES)
]
navigation = st.navigation(pages, position="hidden")

with st.sidebar:
    st.markdown("**定海区制造业规划进度看板**")
    for page in pages:
        st.page_link(page)
    st.divider()
    years = list(reversed(ui.data_years()))
    ui.url_choice("year", "as_of_year", years, years[0] if years else None)
    st.selectbox(
        "截至年度",
        options=years,
        key="as_of_year",
        format_func=lambda year: f"{year}年",
        help="各页面统计截至该年度（含）的数据与目标",
    )
    ui.remember("year", "as_of_year")
    st.caption("数据：" + ("示例数据（模拟）" if ui.is_demo() else "区经信局导入数据"))

ui.sample_banner()
navigation.run()
ui.bad_parameter_notice()
