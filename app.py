"""plantrack — 定海区制造业规划进度看板. Run with `make run`."""

import streamlit as st

from plantrack.app import access, data, session, url_state, widgets
from plantrack.app.navigation import visible
from plantrack.app.v1pages import disable_v1_pages_folder

disable_v1_pages_folder()
data.begin_run()  # one run reads one version of the database
st.set_page_config(
    page_title="定海区制造业规划进度看板", page_icon=":material/factory:", layout="wide"
)

# Registered explicitly; the sidebar links are drawn below (Streamlit's own list is switched off in
# .streamlit/config.toml, as it would first flash the raw files of pages/).
pages = [
    st.Page(spec.path, title=spec.title, icon=spec.icon, default=index == 0)
    for index, spec in enumerate(visible(session.current_role()))
]
navigation = st.navigation(pages, position="hidden")
# On real data, nothing but the login until someone is logged in (demo data stays open).
access.gate(demo=data.is_demo())

with st.sidebar:
    st.markdown("**定海区制造业规划进度看板**")
    for page in pages:
        st.page_link(page)
    st.divider()
    years = list(reversed(data.data_years()))
    url_state.selectbox(
        "截至年度",
        years,
        param="year",
        key="as_of_year",
        default=years[0] if years else None,
        format_func=lambda year: f"{year}年",
        help="各页面统计截至该年度（含）的数据与目标",
    )
    st.caption("数据：" + ("示例数据（模拟）" if data.is_demo() else "区经信局导入数据"))
    access.user_box()

widgets.sample_banner()
navigation.run()
url_state.bad_parameter_notice()
