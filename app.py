"""plantrack — 定海区制造业规划进度看板. Run with `make run`."""

import streamlit as st

from plantrack.app import access, data, session, url_state, widgets
from plantrack.app.navigation import registered
from plantrack.app.replay import drawn
from plantrack.app.v1pages import disable_v1_pages_folder

disable_v1_pages_folder()
data.begin_run()  # one run reads one version of the database
access.check_account()  # a session whose account changed since the login ends here
st.set_page_config(
    page_title="定海区制造业规划进度看板", page_icon=":material/factory:", layout="wide"
)

# Registered explicitly, listed by Streamlit at the top of the sidebar: the pages this role may open,
# all of them shown (a list of links sent with the navigation, not an element per link). On real data,
# nothing but the login until someone is logged in (demo data stays open).
role = session.current_role()
pages, alias = registered(role)
listed = "sidebar" if role is not None or data.is_demo() else "hidden"
navigation = st.navigation([*pages, alias], position=listed, expanded=True)
access.gate(demo=data.is_demo())

with st.sidebar:
    choices = data.as_of_choices()
    url_state.selectbox(
        "截至",
        choices,
        param="year",
        key="as_of_year",
        default=choices[0] if choices else None,
        format_func=widgets.as_of_label,
        help="选年度：各页面统计截至该年度（含）的年度数据与目标。选月份（年度数据尚未覆盖的当年）："
        "年度进度仍按上一完整年度，另按1—N月的月度数据显示年内进度、累计同比与预警。",
    )
    access.user_box("数据：" + ("示例数据（模拟）" if data.is_demo() else "区经信局导入数据"))

widgets.page_style()  # drawn live: Streamlit puts a style-only element out of the page's flow
drawn(widgets.page_top)
try:
    access.run_page(navigation)
finally:  # the page's choices into the URL, in one message, also when the page stopped early
    url_state.write_back()
url_state.bad_parameter_notice()
