"""Parts of a page drawn once and replayed (plantrack.app.replay): a viewer is shown exactly what the page
would draw for them now, whoever came before with other rights or choices, and the widgets a part hands
on (a chart's 导出图片, a table's Excel download, the rest of the 预警 list) stay live and in place."""

import pytest
from streamlit.testing.v1 import AppTest

from plantrack.app import leadership_views, replay
from plantrack.settings import ROOT
from tests.apptest import as_user

PAGES = [
    "pages/overview.py",
    "pages/plan_detail.py",
    "pages/towns.py",
    "pages/warnings.py",
    "pages/evaluation.py",
]
DISTRICT = {"role": "科室"}
TOWN = {"role": "镇街", "town": "金塘镇", "name": "金塘小李"}
OTHER_TOWN = {"role": "镇街", "town": "白泉镇", "name": "白泉小王"}


def _shown(at) -> list[tuple[str, bytes]]:
    """Every element and block of the page and the sidebar, in order, as sent (its type and message;
    a download's file is this session's, named anew in each)."""
    out = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            if node.type == "download_button":
                proto = type(proto).FromString(proto.SerializeToString())
                proto.ClearField("deferred_file_id")
                proto.ClearField("url")
            out.append((node.type, proto.SerializeToString(deterministic=True)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    return out


def _page(path: str, viewer: dict | None, **query) -> AppTest:
    """A new session (a new visitor) on `path`, logged in as `viewer`."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if viewer is not None:
        as_user(at, **viewer)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("path", PAGES)
def test_a_viewer_after_another_is_shown_what_is_drawn_for_them(path, app_env):
    """Drawn fresh for a 镇街 user, then replayed to the same user after a 科室 user, another town's
    user and a visitor without a login came with other rights: the same elements, message for
    message."""
    replay._drawn.clear()
    fresh = _shown(_page(path, TOWN))
    replay._drawn.clear()
    _page(path, DISTRICT)
    _page(path, OTHER_TOWN)
    _page(path, None)
    assert _shown(_page(path, TOWN)) == fresh
    district = _shown(_page(path, DISTRICT))
    replay._drawn.clear()
    assert _shown(_page(path, DISTRICT)) == district


def test_the_year_chosen_is_part_of_the_key(app_env):
    replay._drawn.clear()
    earlier = _shown(_page("pages/overview.py", None, year="2023"))
    later = _shown(_page("pages/overview.py", None))
    assert earlier != later
    replay._drawn.clear()
    assert _shown(_page("pages/overview.py", None, year="2023")) == earlier


def test_a_later_visitor_is_replayed_not_drawn(app_env, monkeypatch):
    """The second visitor's 总览 does not run the part again (its plan cards are not made twice), yet
    shows them, with the 导出图片 popover right after the chart its part ends with."""
    made = []
    original = leadership_views.plan_cards

    def counting(*args):
        made.append(args)
        return original(*args)

    monkeypatch.setattr(leadership_views, "plan_cards", counting)
    replay._drawn.clear()
    first = _page("pages/overview.py", None)  # drawn at / and at /overview (each its element ids)
    assert made
    made.clear()
    second = _page("pages/overview.py", None)
    assert not made
    assert _shown(second) == _shown(first)
    types = [kind for kind, _ in _shown(second)]
    chart = types.index("plotly_chart")  # the targets' status chart, the first on the page
    assert types[chart + 1] == "popover"


def test_a_part_hands_on_its_widgets_without_a_container():
    """A widget handed on is made in other runs, where this run's containers are not: refused."""
    import streamlit as st

    token = replay._later.set([])  # as while a part is drawn
    try:
        with pytest.raises(TypeError, match="不能指定容器"):
            replay.later(lambda where: where.button("乙"), st.container())
        replay.later(print, "甲")
        assert replay._later.get() == [(print, ("甲",), {})]
    finally:
        replay._later.reset(token)


def test_outside_a_part_a_widget_is_made_at_once():
    calls = []
    replay.later(calls.append, 1)
    assert calls == [1]
