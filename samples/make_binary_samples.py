#!/usr/bin/env python3
"""Regenerate the binary sample reports (one .docx, one .pdf) from fixed content.

usage: python samples/make_binary_samples.py

Writes
  samples/reports/2023-09/yuncheng_2023-09.docx   (python-docx, with a real Word table)
  samples/reports/2024-06/jincheng_2024-06.pdf    (reportlab, built-in CID font STSong-Light,
                                                  text layer; the table is printed as text lines)
  samples/reports/2024-06/taiyuan_2024-06.xlsx   (openpyxl: a city's table of indicators with a
                                                  merged two-row header, units in the headers, a
                                                  万元 column, a 合计 row, a blank and a "—" cell)
and checks that pdfplumber gives the PDF text back. Their hand-labelled facts are
samples/expected/2023-09/yuncheng_2023-09.jsonl, samples/expected/2024-06/jincheng_2024-06.jsonl and
samples/expected/2024-06/taiyuan_2024-06.jsonl.

The output is deterministic: the docx core properties and zip entry times are fixed, and the PDF
is written in reportlab's invariant mode (fixed dates and document id); the xlsx has fixed
workbook properties and zip entry times.
"""
import io
import pathlib
import re
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
DOCX_PATH = HERE / "reports" / "2023-09" / "yuncheng_2023-09.docx"
PDF_PATH = HERE / "reports" / "2024-06" / "jincheng_2024-06.pdf"
XLSX_PATH = HERE / "reports" / "2024-06" / "taiyuan_2024-06.xlsx"

# --------------------------------------------------------------------------------------------
# 运城市 1-9月 2023 (.docx)
# Each entry: ("h1" | "h2" | "p" | "caption", text) or ("table", header, rows).
# --------------------------------------------------------------------------------------------
YUNCHENG_TITLE = "运城市开发区2023年1-9月主要经济指标及重点工作进展情况"

YUNCHENG_HEADER = ["开发区名称", "规上工业增加值(亿元)", "增速(%)", "固定资产投资(亿元)", "增速(%)",
                   "进出口总额(亿元)", "增速(%)"]
YUNCHENG_ROWS = [
    ["运城经开区", "48.36", "6.2", "36.51", "14.8", "12.47", "-5.3"],
    ["运城空港经开区", "9.72", "15.6", "21.83", "27.4", "3.16", "42.1"],
    ["河津经开区", "86.45", "-2.7", "29.07", "8.3", "18.92", "-11.6"],
    ["永济经开区", "15.38", "8.9", "12.64", "-4.7", "6.35", "9.2"],
    ["风陵渡经开区", "11.27", "11.3", "9.86", "19.5", "0.84", "-23.4"],
    ["绛县经开区", "13.59", "4.5", "8.42", "6.1", "1.27", "15.8"],
    ["闻喜经开区", "22.84", "3.8", "10.35", "-9.2", "2.63", "7.4"],
]

YUNCHENG_BODY = [
    ("p", "运城市商务局"),
    ("p", "今年以来，全市开发区认真贯彻落实省委、省政府关于开发区高质量发展的决策部署，"
          "坚持以项目建设为中心，以“三个一批”活动为总牵引，统筹抓好稳增长、扩投资、强招商、优环境各项工作，"
          "开发区经济运行总体平稳、稳中有进。现将有关情况通报如下。"),
    ("h1", "一、主要经济指标完成情况"),
    ("p", "1-9月，全市开发区规上工业增加值完成207.61亿元，同比增长2.1%，增速较上半年提高0.6个百分点；"
          "固定资产投资完成128.68亿元，同比增长10.4%；进出口总额45.64亿元，同比下降4.9%；"
          "实现营业收入1365.8亿元，同比增长3.7%；税收收入42.16亿元，同比下降2.4%。"),
    ("p", "各开发区主要经济指标完成情况见表1。"),
    ("caption", "表1  1-9月全市开发区主要经济指标完成情况"),
    ("table", YUNCHENG_HEADER, YUNCHENG_ROWS),
    ("p", "从效益指标看，河津经开区受铝、焦炭等产品价格下行影响，规上工业企业实现利润总额15.72亿元，"
          "同比下降26.8%，去年同期为21.48亿元；永济经开区完成一般公共预算收入2.04亿元，增长7.9%；"
          "风陵渡经开区实现税收收入5600万元，同比增长21.3%；运城空港经开区实际利用外资0.23亿美元。"
          "前三季度，全市开发区新入规企业18个。"),
    ("h1", "二、“三个一批”活动推进情况"),
    ("p", "全市开发区坚持把“三个一批”活动作为扩大有效投资、推动转型发展的重要抓手，"
          "建立项目“红黄绿”三色管理和周调度、月通报制度，推动项目滚动接续、梯次推进。"),
    ("p", "9月26日，全市第六次“三个一批”活动在运城经开区主会场举行，各县(市、区)设分会场同步举行。"
          "本次活动共推进项目58个，总投资236.37亿元，项目全部达产后预计年产值83.5亿元。"
          "其中，集中签约项目19个，签约投资额86.4亿元；集中开工项目24个，计划总投资102.35亿元；"
          "集中投产项目15个，总投资47.62亿元。"),
    ("p", "2022年以来，全市开发区累计“签约一批”项目112个，总投资541.08亿元，已开工87个，"
          "总投资437.26亿元，签约开工率80.81%；“开工一批”项目126个，总投资468.53亿元，"
          "已完成投资236.71亿元，已投产72个，完成投资152.48亿元，开工项目投产率32.54%；"
          "“投产一批”项目97个，总投资273.95亿元，其中产业项目74个，总投资241.36亿元，"
          "已达产68个，总投资226.05亿元，达产率93.65%。"),
    ("h1", "三、重点工作开展情况"),
    ("h2", "(一)全力抓好招商引资"),
    ("p", "围绕全市14条重点产业链，坚持链长挂帅、链主带动、园区承载，实施精准招商。"
          "成功举办第四届运城市开发区投资贸易洽谈会，开展驻点招商和小分队招商活动30余次，"
          "签约总投资32亿元的运城经开区新能源汽车电机项目、总投资15亿元的河津经开区铝基新材料项目等一批重大项目。"),
    ("h2", "(二)持续深化“承诺制+标准地+全代办”改革"),
    ("p", "1-9月，全市开发区备案项目88个，可实行“承诺制”项目67个，实行“承诺制”项目51个，"
          "办理“承诺制”相关手续142项；出让“标准地”11宗，出让面积1024.36亩；领办代办项目38个。"),
    ("h2", "(三)不断提升开发区承载能力"),
    ("p", "加快推进开发区基础设施和公共服务平台建设，完善供水、供电、供气、污水处理等配套设施。"
          "目前，全市开发区已投入使用的标准厂房28.45万平方米，绛县经开区新建成标准厂房3.9万平方米。"),
    ("h2", "(四)着力强化开发区考核督导"),
    ("p", "修订完善《运城市开发区考核评价办法》，实行“月监测、季通报、年考核”，对主要指标进度滞后的开发区"
          "进行提醒约谈，督促查找原因、制定措施、限期整改。组织开展全市开发区重点项目观摩活动，"
          "各开发区逐一亮出项目建设成果，比规模、比质量、比效益，形成了比学赶超、争先进位的浓厚氛围。"),
    ("h2", "(五)持续深化开发区体制机制改革"),
    ("p", "深化“三化三制”改革，推行“管委会+公司”运营模式，运城经开区、运城空港经开区组建了专业化运营公司，"
          "承担园区开发建设、招商引资、企业服务等职能。全面推行全员岗位聘任制和绩效薪酬制度，"
          "打破身份界限，激发干部干事创业活力。"),
    ("h1", "四、存在的问题"),
    ("p", "一是工业经济下行压力较大。受铝、焦炭、化工产品价格下行影响，河津经开区等以原材料工业为主的开发区"
          "规上工业增加值出现负增长，拉低了全市开发区整体增速。二是外贸形势依然严峻。国际市场需求减弱，"
          "部分外贸企业订单减少，进出口总额同比下降。三是项目转化效率有待提高。部分签约项目受用地、环评、"
          "能耗等要素制约，开工进度滞后；部分开工项目建设周期长，投产转化偏慢。"),
    ("h1", "五、下一步工作安排"),
    ("p", "一是全力冲刺全年目标。紧盯关键指标，加强调度分析，确保全年全市开发区规上工业增加值增长6%，"
          "力争固定资产投资完成180亿元。"),
    ("p", "二是持续推进“三个一批”。精心谋划第七次“三个一批”活动，推动已签约项目尽快开工、"
          "已开工项目尽快投产、已投产项目尽快达产达效。"),
    ("p", "三是持续优化营商环境。深化开发区“放管服效”改革，完善项目全生命周期服务，"
          "推动更多审批事项在开发区内办结。"),
    ("p", "(供稿：运城市商务局)"),
]


def make_docx(path=DOCX_PATH):
    import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    fixed = datetime.datetime(2023, 10, 16, 9, 0, 0)
    cp = d.core_properties
    cp.author = "运城市商务局"
    cp.last_modified_by = "运城市商务局"
    cp.title = YUNCHENG_TITLE
    cp.created = fixed
    cp.modified = fixed
    cp.last_printed = fixed
    cp.revision = 1

    t = d.add_heading(YUNCHENG_TITLE, level=0)
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for item in YUNCHENG_BODY:
        kind = item[0]
        if kind == "h1":
            d.add_heading(item[1], level=1)
        elif kind == "h2":
            d.add_heading(item[1], level=2)
        elif kind == "caption":
            p = d.add_paragraph(item[1])
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "table":
            header, rows = item[1], item[2]
            table = d.add_table(rows=1 + len(rows), cols=len(header))
            table.style = "Table Grid"
            for j, h in enumerate(header):
                table.cell(0, j).text = h
            for i, row in enumerate(rows, start=1):
                for j, v in enumerate(row):
                    table.cell(i, j).text = v
        else:
            d.add_paragraph(item[1])

    buf = io.BytesIO()
    d.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normalise_zip(buf.getvalue()))
    return path


def _normalise_zip(blob, date_time=(2023, 10, 16, 9, 0, 0)):
    """Rewrite a zip with fixed entry times and order, so that the bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=date_time)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# 晋城市 1-6月 2024 (.pdf)
# Each entry: ("title" | "h" | "p" | "table" | "caption" | "pagebreak", text).
# A table line is printed as one text line with its cells separated by spaces.
# --------------------------------------------------------------------------------------------
JINCHENG_TABLE = [
    "开发区名称 规上工业增加值(亿元) 增速(%) 工业投资(亿元) 增速(%)",
    "晋城经开区 28.74 9.3 16.82 22.5",
    "高平经开区 19.36 4.7 9.43 -8.6",
    "泽州经开区 24.58 6.1 12.17 15.3",
    "阳城经开区 31.05 -2.4 8.96 11.8",
    "沁水经开区 17.69 3.8 7.35 26.9",
    "陵川经开区 2.87 12.6 3.41 -21.7",
]

JINCHENG_BODY = [
    ("title", "晋城市开发区2024年上半年工作情况"),
    ("p", "(晋城市商务局)"),
    ("h", "【上半年工作进展】"),
    ("h", "一、主要经济指标完成情况"),
    ("p", "上半年，全市开发区坚持稳中求进、以进促稳，聚焦项目建设和产业升级，全力以赴稳运行、扩投资、"
          "强招商，主要经济指标总体保持平稳增长。"),
    ("p", "1-6月，全市开发区完成规上工业总产值468.52亿元，同比增长3.9%；完成规上工业增加值124.29亿元，"
          "同比增长4.1%；完成工业投资58.14亿元，同比增长12.8%；招商引资到位资金41.27亿元，"
          "同比增长11.6%。"),
    ("p", "各开发区规上工业增加值、工业投资完成情况如下："),
    ("caption", "表1 1-6月全市开发区主要指标完成情况"),
    ("table", JINCHENG_TABLE),
    ("p", "晋城经开区实现营业收入215.38亿元，同比增长8.7%；外贸进出口额7.36亿元，同比增长24.3%；"
          "规上工业总产值完成96.47亿元，同比增长10.2%。高平经开区实现税收收入1.92亿元，同比下降5.6%。"
          "阳城经开区规上工业增加值增速较一季度回落3.1个百分点。"),
    ("pagebreak", ""),
    ("h", "二、“三个一批”活动推进情况"),
    ("p", "6月20日，全市第九次“三个一批”活动在晋城经开区举行。本次活动全市开发区签约项目14个，"
          "签约投资额72.6亿元；开工项目17个，计划总投资83.45亿元；投产项目10个，总投资29.7亿元，"
          "预计年产值24.8亿元。其中，高平经开区签约项目3个，签约投资额15.2亿元。"),
    ("p", "2022年以来，全市开发区累计签约项目118个，总投资503.62亿元，已开工92个，总投资398.74亿元，"
          "签约开工率79.17%；累计开工项目126个，总投资437.15亿元，已完成投资215.8亿元，已投产64个，"
          "完成投资131.46亿元，开工项目投产率30.07%；累计投产项目89个，总投资203.57亿元，"
          "已达产76个，总投资181.25亿元，达产率89.04%。"),
    ("h", "三、主要做法"),
    ("p", "一是强化链式招商。围绕全市光机电、新材料、煤层气等重点产业链，开展精准招商活动20余次，"
          "成功签约总投资50亿元的晋城经开区光电显示模组项目、总投资12亿元的泽州经开区铸造产业升级项目等。"),
    ("p", "二是深化改革创新。持续推进“承诺制+标准地+全代办”改革，1-6月，全市开发区实行“承诺制”项目36个，"
          "出让“标准地”7宗，出让面积562.8亩，领办代办项目25个。"),
    ("p", "三是强化要素保障。建立开发区重点项目要素保障台账，对用地、用能、融资等问题实行清单化管理、"
          "销号式推进，上半年协调解决项目建设难题46个。"),
    ("p", "四是深化体制改革。持续深化开发区“三化三制”改革，推行“管委会+公司”运营模式，晋城经开区、"
          "高平经开区组建了市场化运营公司。全面推行全员岗位聘任制和绩效薪酬制度，建立以实绩论英雄的"
          "考核激励机制，开发区干部干事创业的积极性明显提升。"),
    ("p", "五是强化考核督导。实行开发区主要经济指标月监测、月通报，对进度滞后的开发区及时提醒约谈，"
          "组织开展全市开发区重点项目观摩活动，各开发区比项目、比投资、比效益，营造了你追我赶、"
          "竞相发展的良好氛围。"),
    ("h", "四、存在的问题"),
    ("p", "一是工业增长动力不足。部分开发区主导产业以煤炭、冶金等传统产业为主，受市场价格波动影响较大，"
          "阳城经开区规上工业增加值出现负增长。二是项目接续能力不强。投资规模大、带动能力强的重大产业项目"
          "偏少，部分签约项目受用地、能耗指标制约开工滞后。三是承载能力有待提升。部分开发区道路、管网、"
          "供热、污水处理等基础设施配套不完善，标准厂房、人才公寓等载体建设滞后，影响项目落地和企业入驻。"
          "四是专业化人才短缺。开发区专业化招商人才和运营管理人才不足，服务企业的能力和水平有待提高。"),
    ("h", "【下半年工作重点】"),
    ("p", "一是稳住工业增长。加强运行监测，确保全年开发区规上工业增加值增长7%，推动重点企业满产稳产。"),
    ("p", "二是抓好项目转化。认真谋划第十次“三个一批”活动，推动签约项目早开工、开工项目早投产。"),
    ("p", "三是优化营商环境。深化开发区审批制度改革，提升“区内事、区内办”水平。全面推行“拿地即开工”"
          "审批模式，对重点产业项目实行容缺受理、并联审批，持续压缩项目审批时间。"),
    ("p", "四是强化精准招商。紧盯京津冀、长三角、粤港澳大湾区等重点区域，聚焦产业链关键环节和薄弱环节，"
          "开展以商招商、驻点招商、基金招商，着力引进一批投资规模大、科技含量高、带动能力强的好项目、"
          "大项目，为开发区高质量发展提供有力支撑。"),
    ("p", "五是强化考核激励。进一步完善开发区考核评价体系，突出项目建设、亩均效益等核心指标，"
          "对考核排名靠前的开发区在要素配置、资金安排等方面给予倾斜，激励各开发区争先进位、加快发展。"),
    ("p", "(供稿：晋城市商务局)"),
]

_NO_BREAK = re.compile(r"[0-9.%\-+()(（）)]")
_NO_LINE_START = set("，。；：、）)%％”")
# a number with its unit is never split over two lines
_TOKEN = re.compile(r"[0-9.]+(?:亿美元|亿元|万元|万人次|万平方米|亩|个|项|宗|%)?")


def _wrap(text, width):
    """Wrap text into lines of at most `width` characters, never inside or next to a number."""
    lines = []
    while len(text) > width:
        cut = width
        inside = lambda i: any(m.start() < i < m.end() for m in _TOKEN.finditer(text))
        while cut > 1 and (_NO_BREAK.match(text[cut - 1]) or _NO_BREAK.match(text[cut])
                           or text[cut] in _NO_LINE_START or inside(cut)):
            cut -= 1
        lines.append(text[:cut])
        text = text[cut:]
    if text:
        lines.append(text)
    return lines


def make_pdf(path=PDF_PATH):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("晋城市开发区2024年上半年工作情况")
    c.setAuthor("晋城市商务局")
    width, height = A4
    left, top, bottom = 60, height - 60, 60
    size, lead = 11, 18
    chars_per_line = int((width - 2 * left) // size)
    y = top

    def header():
        c.setFont("STSong-Light", 9)
        c.drawString(left, height - 35, "全省开发区“开发区上半年运行分析”专刊  晋城市开发区")
        c.setFont("STSong-Light", size)

    def newline(n=1):
        nonlocal y
        y -= lead * n
        if y < bottom:
            c.showPage()
            header()
            y = top

    header()
    for kind, text in JINCHENG_BODY:
        if kind == "pagebreak":
            c.showPage()
            header()
            y = top
            continue
        if kind == "title":
            c.setFont("STSong-Light", 16)
            c.drawCentredString(width / 2, y, text)
            c.setFont("STSong-Light", size)
            newline(2)
            continue
        if kind == "table":
            for row in text:
                c.drawString(left, y, row)
                newline()
            newline()
            continue
        if kind == "caption":
            c.drawCentredString(width / 2, y, text)
            newline()
            continue
        lines = _wrap(("　　" if kind == "p" else "") + text, chars_per_line)
        for line in lines:
            c.drawString(left, y, line)
            newline()
    c.save()
    return path


def pdf_text_lines():
    """Every line the PDF should give back, in order (running headers excluded)."""
    out = []
    for kind, text in JINCHENG_BODY:
        if kind == "table":
            out.extend(text)
        elif kind != "pagebreak":
            out.append(text)
    return out


def check_pdf(path=PDF_PATH):
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        got = "".join((p.extract_text() or "") for p in pdf.pages)
    flat = re.sub(r"\s+", "", got)
    for line in pdf_text_lines():
        want = re.sub(r"\s+", "", line)
        if want not in flat:
            raise SystemExit("PDF text layer lost: %r" % line)
    for row in JINCHENG_TABLE:
        if row not in got:
            raise SystemExit("PDF table row not extracted as one line: %r" % row)
    return got


def check_docx(path=DOCX_PATH):
    import docx

    d = docx.Document(str(path))
    t = d.tables[0]
    got = [[cell.text for cell in row.cells] for row in t.rows]
    if got != [YUNCHENG_HEADER] + YUNCHENG_ROWS:
        raise SystemExit("docx table mismatch")


# --------------------------------------------------------------------------------------------
# 太原市 1-6月 2024 (.xlsx): a city's table of indicators, as the cities file them
# --------------------------------------------------------------------------------------------
TAIYUAN_TITLE = "2024年1-6月太原市开发区主要经济指标月报表"
# Row 3: the indicators, each merged over its two columns; row 4: what each column holds.
TAIYUAN_INDICATORS = ["规上工业增加值", "固定资产投资", "营业收入", "税收收入"]
TAIYUAN_COLUMNS = ["本月累计（亿元）", "同比增长（%）", "本月累计（亿元）", "同比增长（%）",
                   "本月累计（亿元）", "同比增长（%）", "本月累计（万元）", "同比增长（%）"]
# None: a blank cell; "—": not reported. 合计 adds up the zones' reported figures (古交经开区's
# 固定资产投资 is not reported: 合计 is the other four); 税收收入 in 万元.
TAIYUAN_ROWS = [
    ["山西转型综合改革示范区", 186.42, 6.8, 152.37, 9.4, 2864.15, 5.2, 485630, 3.1],
    ["太原中北高新技术产业开发区", 12.35, 11.2, 18.64, 21.5, 96.82, 8.7, 21470, -4.6],
    ["太原不锈钢产业园区", 8.97, -3.4, 6.12, None, 142.56, -6.8, 9860, 2.5],
    ["清徐经济开发区", 45.28, 4.1, 27.45, 12.6, 318.74, 3.9, 62340, 7.2],
    ["古交经济技术开发区", 21.63, 2.7, "—", "—", 87.19, 1.4, 15780, -8.3],
    ["合计", 274.65, 6.1, 204.58, 10.3, 3509.46, 4.9, 595080, 2.8],
]
TAIYUAN_NOTES = [
    "注：1.规上工业增加值增速按可比价计算；2.古交经济技术开发区固定资产投资数据暂缺，合计不含该区。",
    "填报单位：太原市商务局    填报日期：2024年7月10日",
]


def make_xlsx(path=XLSX_PATH):
    import datetime

    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1-6月"
    width = 1 + len(TAIYUAN_COLUMNS)
    ws.cell(1, 1, TAIYUAN_TITLE).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, width - 1, "单位：亿元、万元、%")
    ws.cell(3, 1, "开发区名称")
    ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    for k, name in enumerate(TAIYUAN_INDICATORS):
        ws.cell(3, 2 + 2 * k, name)
        ws.merge_cells(start_row=3, start_column=2 + 2 * k, end_row=3, end_column=3 + 2 * k)
    for j, name in enumerate(TAIYUAN_COLUMNS):
        ws.cell(4, 2 + j, name)
    for i, row in enumerate(TAIYUAN_ROWS):
        for j, value in enumerate(row):
            if value is not None:
                ws.cell(5 + i, 1 + j, value)
    for i, note in enumerate(TAIYUAN_NOTES):
        ws.cell(6 + len(TAIYUAN_ROWS) + i, 1, note)
    for row in ws.iter_rows(min_row=1, max_row=4):
        for c in row:
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["A"].width = 30
    fixed = datetime.datetime(2024, 7, 10, 9, 0, 0)
    wb.properties.creator = wb.properties.lastModifiedBy = "太原市商务局"
    wb.properties.title = TAIYUAN_TITLE
    wb.properties.created = wb.properties.modified = fixed
    buf = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps the time of saving.
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_normalise_zip(buf.getvalue(), date_time=(2024, 7, 10, 9, 0, 0)))
    return path


def check_xlsx(path=XLSX_PATH):
    import openpyxl

    ws = openpyxl.load_workbook(path).active
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=4 + len(TAIYUAN_ROWS))]
    if got != TAIYUAN_ROWS:
        raise SystemExit("xlsx table mismatch")
    for k in range(1, 9):  # every indicator's column adds up to 合计
        total = sum(r[k] for r in TAIYUAN_ROWS[:-1] if isinstance(r[k], (int, float)))
        if k % 2 and abs(total - TAIYUAN_ROWS[-1][k]) > 1e-6:
            raise SystemExit("xlsx 合计 does not add up in column %d" % k)


# --------------------------------------------------------------------------------------------
# Scans: a scanned PDF (image-only, 150 dpi, 长治 2024 full year) and a phone photo of a page (晋中,
# skewed 3 degrees, uneven light, noise), rendered from our own texts in samples/sources/ with
# devzone.synthetic.scans (CJK font from the mplfonts wheel; fixed noise seeds, so the same bytes).
# --------------------------------------------------------------------------------------------
SOURCES = HERE / "sources"
SCANNED_PDF_PATH = HERE / "reports" / "2024-12" / "changzhi_2024-12.pdf"
PHOTO_PATH = HERE / "reports" / "2024-12" / "jinzhong_2024-12.jpg"


def make_scans(folder=None):
    """Render the scans into `folder` (default: their place under reports/2024-12/)."""
    import sys

    sys.path.insert(0, str(HERE.parent))
    from devzone.synthetic.scans import photo, scanned_pdf

    pdf_path, photo_path = (
        (SCANNED_PDF_PATH, PHOTO_PATH) if folder is None else (folder / SCANNED_PDF_PATH.name, folder / PHOTO_PATH.name)
    )
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    source = (SOURCES / "changzhi_2024-12.txt").read_text(encoding="utf-8")
    pdf_path.write_bytes(scanned_pdf(source, dpi=150))
    source = (SOURCES / "jinzhong_2024-12.txt").read_text(encoding="utf-8")
    photo_path.write_bytes(photo(source, skew_degrees=3.0, seed=5))
    return [pdf_path, photo_path]


def check_scans():
    import pdfplumber

    with pdfplumber.open(str(SCANNED_PDF_PATH)) as pdf:
        assert all(not (page.extract_text() or "").strip() for page in pdf.pages), "the scan has a text layer"


def main():
    for path in make_scans():
        print("wrote", path.relative_to(HERE.parent))
    check_scans()
    print("wrote", make_docx().relative_to(HERE.parent))
    check_docx()
    print("wrote", make_pdf().relative_to(HERE.parent))
    check_pdf()
    print("wrote", make_xlsx().relative_to(HERE.parent))
    check_xlsx()
    print("checked: pdfplumber text layer, docx table and xlsx table round-trip")


if __name__ == "__main__":
    main()
