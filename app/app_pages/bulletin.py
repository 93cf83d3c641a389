"""月报: the draft monthly bulletin of the chosen month, to read here and download as Markdown or Word."""

from __future__ import annotations

import bulletin
import data
import streamlit as st

st.title("月报")
st.caption(
    "按所选月份由发布数据自动生成的月报草稿：各市和开发区主要指标、“三个一批”进展、数据质量与异常。下载后请核对、修改再使用。"
)
data.require_serving()

month = data.month_selector("bulletin_month")
if month is None:
    st.stop()

draft = bulletin.build_bulletin(data.bulletin_data(month))
markdown = bulletin.to_markdown(draft)

c1, c2, _ = st.columns([1, 1, 4])
c1.download_button(
    "下载 Markdown",
    markdown.encode("utf-8"),
    file_name=f"开发区月报_{month}.md",
    mime="text/markdown",
    key="bulletin_md",
    on_click="ignore",
)
c2.download_button(
    "下载 Word",
    lambda: bulletin.to_docx(draft),
    file_name=f"开发区月报_{month}.docx",
    mime=bulletin.DOCX_MIME,
    key="bulletin_docx",
    on_click="ignore",  # the .docx is made on click
)

with st.container(border=True):
    st.markdown(markdown)
