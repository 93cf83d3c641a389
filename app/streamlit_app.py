"""开发区月度数据：managers' app. Run with `streamlit run app/streamlit_app.py`."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import data  # noqa: E402
import format as fmt  # noqa: E402

st.set_page_config(page_title="山西开发区月度数据", page_icon=":material/leaderboard:", layout="wide")

pages = [
    st.Page("app_pages/overview.py", title="总览", icon=":material/home:", default=True),
    st.Page("app_pages/compare.py", url_path="compare", title="开发区对比", icon=":material/leaderboard:"),
    st.Page("app_pages/trend.py", url_path="trend", title="趋势", icon=":material/trending_up:"),
    st.Page("app_pages/pipeline.py", url_path="pipeline", title="三个一批", icon=":material/construction:"),
    st.Page("app_pages/quality.py", url_path="quality", title="数据质量", icon=":material/verified:"),
    st.Page("app_pages/lineage.py", url_path="lineage", title="溯源", icon=":material/manage_search:"),
    st.Page("app_pages/bulletin.py", url_path="bulletin", title="月报", icon=":material/description:"),
]
nav = st.navigation(pages)
# The page draws into this placeholder, so that a serving file found unreadable half-way through a
# page replaces what the page had drawn instead of leaving half a page above the message.
page = st.empty()

try:
    with st.sidebar:
        st.caption("数据来源：各市开发区月度报告，经整理、校验后发布。")
        key = data.file_key()
        if key is None:
            st.caption("尚无发布的数据")
        else:
            published = data.query("select max(published_at) as at from serving_meta")["at"].iloc[0]
            st.caption(f"数据发布于 {fmt.beijing_time(published)}（北京时间）", help=f"发布文件：{key[0]}")

    if key is None:
        st.title("山西开发区月度数据")
        st.info(data.NO_DATA_MESSAGE)
    else:
        with page.container():
            nav.run()
except (data.UnreadableServingFile, data.OutdatedServingFile) as error:
    page.empty()
    st.title("山西开发区月度数据")
    data.show_unreadable(error)
