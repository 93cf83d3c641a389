"""月报: the draft monthly bulletin of the chosen month, to read here and download as Markdown or Word.

The draft is the sendable bulletin; the internal appendix on the data's quality is added only when
asked for (the checkbox, off by default), and the downloads carry what the preview shows.
"""

from __future__ import annotations

import bulletin
import data
import streamlit as st

st.title("月报")
st.caption(
    "按所选月份由发布数据自动生成的月报草稿：总体情况、各市开发区主要指标、重点开发区、“三个一批”项目进展。"
    "下载后请核对、修改再使用。"
)
data.require_serving()

month = data.month_selector("bulletin_month")
if month is None:
    st.stop()

quality = st.checkbox(
    "附上数据质量附件（仅供内部核对）",
    value=False,
    key="bulletin_quality",
    help="自动校验结果、“三个一批”转化率核对、被隔离的报告文件和名录外的开发区；对外发送的月报不含此附件。",
)

draft = bulletin.build_bulletin(data.bulletin_data(month), quality=quality)
markdown = bulletin.to_markdown(draft)
name = f"开发区月报_{month}{'_含质量附件' if quality else ''}"

c1, c2, _ = st.columns([1, 1, 4])
c1.download_button(
    "下载 Markdown",
    markdown.encode("utf-8"),
    file_name=f"{name}.md",
    mime="text/markdown",
    key="bulletin_md",
    on_click="ignore",
)
c2.download_button(
    "下载 Word",
    lambda: bulletin.to_docx(draft),
    file_name=f"{name}.docx",
    mime=bulletin.DOCX_MIME,
    key="bulletin_docx",
    on_click="ignore",  # the .docx is made on click
)

with st.container(border=True):
    st.markdown(markdown)
