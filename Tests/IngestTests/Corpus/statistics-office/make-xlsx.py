#!/usr/bin/env python3
"""Writes E02.01-2024.xlsx, a workbook laid out as the statistics office (GSO) publishes table E02.01, and
E02.01-2024.xlsx.expected.csv, the data block as the reader should return it; and shares-percent-format.xlsx,
an indicator sheet whose shares are stored as fractions and shown with percentage formats.

Standard library only (zipfile), so the XML is written by hand: that also lets the file carry what Excel
itself writes and a reader must cope with - shared and inline strings, a rich-text title, formula cells
with cached values, numbers stored with 17 significant digits, a styled empty cell, a skipped row number,
one stored (uncompressed) part and an absolute relationship target.

Run it again after changing the source data:  python3 Tests/IngestTests/Corpus/statistics-office/make-xlsx.py
"""
import csv
import os
import unicodedata
import zipfile
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
SHARED = os.environ.get("CHISO_SHARED", "/work/shared")
PROVINCES = os.path.join(SHARED, "data", "population", "province_stats_2024_63.csv")
REGIONS = os.path.join(SHARED, "data", "admin-units", "pre2025", "socioeconomic_regions_63.csv")
OUT = os.path.join(HERE, "E02.01-2024.xlsx")
EXPECTED = OUT + ".expected.csv"
SHARES = os.path.join(HERE, "shares-percent-format.xlsx")

# GSO lists the regions in this order, north to south.
REGION_ORDER = ["RRD", "NMM", "NCC", "CH", "SE", "MRD"]
# Names written as inline strings rather than shared strings, as some exporters do; the last one in NFD,
# as a file typed on macOS would carry it.
INLINE = {"Hà Giang", "Đà Nẵng", "Cà Mau", "Thừa Thiên Huế"}
NFD = {"Thừa Thiên Huế"}
# Values Excel stores with 17 significant digits (its binary-to-decimal output), kept verbatim.
SEVENTEEN_DIGITS = {("Hà Nội", "population_thousands"), ("Cần Thơ", "area_km2")}
# Provinces whose density is a formula cell, as in an analyst's working copy.
FORMULA_DENSITY = {"Hải Phòng", "Cần Thơ"}

TITLE_RUNS = ["Diện tích, dân số ", "và mật độ dân số năm 2024 phân theo địa phương"]
SUBTITLE = "Đơn vị tính: Diện tích - Km2; Dân số - Nghìn người; Mật độ dân số - Người/km2"
HEADERS = ["Diện tích (Km2)", "Dân số trung bình (Nghìn người)", "Mật độ dân số (Người/km2)"]
FOOTNOTE = "Nguồn: Tổng cục Thống kê"
NOTE = "Số liệu năm 2024 là số liệu sơ bộ."

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
FROZEN_HEADER = '<pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/>'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def number(value):
    """Excel's shortest form: integral values without a decimal point."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def load():
    region_of = {}
    region_name = {}
    with open(REGIONS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            region_of[row["code"]] = row["region_code"]
            region_name[row["region_code"]] = row["region_vi"]
    provinces = {code: [] for code in REGION_ORDER}
    with open(PROVINCES, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            provinces[region_of[row["code"]]].append(row)
    assert sum(len(rows) for rows in provinces.values()) == 63
    return provinces, region_name


def aggregate(name, rows):
    area = round(sum(float(r["area_km2"]) for r in rows), 1)
    population = round(sum(float(r["population_thousands"]) for r in rows), 1)
    density = round(population * 1000 / area, 1)
    return {"name": name, "area": number(area), "population": number(population), "density": number(density),
            "formula": False}


def province(row):
    name = row["name_vi"]
    area, population = row["area_km2"], row["population_thousands"]
    if (name, "area_km2") in SEVENTEEN_DIGITS:
        area = "%.17g" % float(area)
    if (name, "population_thousands") in SEVENTEEN_DIGITS:
        population = "%.17g" % float(population)
    return {"name": name, "area": area, "population": population, "density": row["population_density"],
            "formula": name in FORMULA_DENSITY}


class Strings:
    """The shared-string table, in first-use order as Excel builds it."""

    def __init__(self):
        self.items = []
        self.index = {}

    def add(self, xml):
        if xml not in self.index:
            self.index[xml] = len(self.items)
            self.items.append(xml)
        return self.index[xml]

    def plain(self, text):
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return self.add("<t%s>%s</t>" % (space, escape(text)))

    def xml(self):
        body = "".join("<si>%s</si>" % item for item in self.items)
        return (HEAD + '<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>'
                % (NS_MAIN, len(self.items), len(self.items), body))


def text_cell(ref, text, strings, style=None):
    s = ' s="%d"' % style if style is not None else ""
    if text in INLINE:
        written = unicodedata.normalize("NFD", text) if text in NFD else text
        return '<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (ref, s, escape(written))
    return '<c r="%s"%s t="s"><v>%d</v></c>' % (ref, s, strings.plain(text))


def number_cell(ref, value, style=3, formula=None):
    f = "<f>%s</f>" % formula if formula else ""
    return '<c r="%s" s="%d">%s<v>%s</v></c>' % (ref, style, f, value)


def row(number, cells, height=None):
    ht = ' ht="%s" customHeight="1"' % height if height else ""
    return '<row r="%d" spans="1:4"%s>%s</row>' % (number, ht, "".join(cells))


def sheet_xml(rows, last_row, merges=""):
    return (HEAD + '<worksheet xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL)
            + '<dimension ref="A1:D%d"/>' % last_row
            + '<sheetViews><sheetView workbookViewId="0">' + FROZEN_HEADER + "</sheetView></sheetViews>"
            + '<sheetFormatPr defaultRowHeight="15"/>'
            + '<cols><col min="1" max="1" width="34" customWidth="1"/><col min="2" max="4" width="16"'
            + ' customWidth="1"/></cols>'
            + "<sheetData>%s</sheetData>" % "".join(rows)
            + merges
            + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            + "</worksheet>")


def main():
    provinces, region_name = load()
    data = [aggregate("CẢ NƯỚC", [r for code in REGION_ORDER for r in provinces[code]])]
    for code in REGION_ORDER:
        data.append(aggregate(region_name[code], provinces[code]))
        data.extend(province(r) for r in provinces[code])

    strings = Strings()
    bold = '<rPr><b/><sz val="12"/></rPr>'
    title = strings.add('<r>%s<t xml:space="preserve">%s</t></r><r>%s<t>%s</t></r>'
                        % (bold, escape(TITLE_RUNS[0]), bold, escape(TITLE_RUNS[1])))
    rows = [row(1, ['<c r="A1" s="1" t="s"><v>%d</v></c>' % title], height=18),
            row(2, [text_cell("A2", SUBTITLE, strings)]),
            row(3, ['<c r="A3" s="2"/>']),
            row(4, ['<c r="A4" s="2"/>'] + [text_cell("%s4" % col, text, strings, style=2)
                                            for col, text in zip("BCD", HEADERS)])]
    number_row = 5
    for entry in data:
        r = number_row
        density = number_cell("D%d" % r, entry["density"],
                              formula="C%d/B%d*1000" % (r, r) if entry["formula"] else None)
        rows.append(row(r, [text_cell("A%d" % r, entry["name"], strings),
                            number_cell("B%d" % r, entry["area"]),
                            number_cell("C%d" % r, entry["population"]),
                            density]))
        number_row += 1
    footnote_row = number_row + 1  # one blank row, not written, as in the published tables
    rows.append(row(footnote_row, [text_cell("A%d" % footnote_row, FOOTNOTE, strings)]))
    sheet1 = sheet_xml(rows, footnote_row, '<mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells>')
    sheet2 = sheet_xml([row(1, [text_cell("A1", NOTE, strings)])], 1).replace(FROZEN_HEADER, "")

    workbook = (HEAD + '<workbook xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL)
                + '<workbookPr defaultThemeVersion="124226"/>'
                + '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="20490" windowHeight="7755"/>'
                + "</bookViews><sheets>"
                + '<sheet name="E02.01" sheetId="1" r:id="rId1"/>'
                + '<sheet r:id="rId2" sheetId="2" name=%s/>' % quoteattr("Ghi chú")
                + '</sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
                + "'E02.01'!$4:$4</definedName></definedNames>"
                + '<calcPr calcId="191029"/></workbook>')
    workbook_rels = (HEAD + '<Relationships xmlns="%s">' % NS_PKG
                     + '<Relationship Id="rId3" Type="%s/styles" Target="styles.xml"/>' % NS_REL
                     + '<Relationship Id="rId2" Type="%s/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
                     % NS_REL
                     + '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>' % NS_REL
                     + '<Relationship Id="rId4" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % NS_REL
                     + "</Relationships>")
    styles = (HEAD + '<styleSheet xmlns="%s">' % NS_MAIN
              + '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.0"/></numFmts>'
              + '<fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font>'
              + '<font><b/><sz val="12"/><name val="Times New Roman"/></font></fonts>'
              + '<fills count="2"><fill><patternFill patternType="none"/></fill>'
              + '<fill><patternFill patternType="gray125"/></fill></fills>'
              + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              + '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
              + '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
              + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              + "</cellXfs></styleSheet>")
    content_types = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                     + 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                     + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                     + 'officedocument.spreadsheetml.sheet.main+xml"/>'
                     + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % n
                               for n in (1, 2))
                     + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                     + 'officedocument.spreadsheetml.styles+xml"/>'
                     + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     + 'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    package_rels = (HEAD + '<Relationships xmlns="%s">' % NS_PKG
                    + '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>' % NS_REL
                    + "</Relationships>")

    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", package_rels),
             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels),
             ("xl/styles.xml", styles), ("xl/sharedStrings.xml", strings.xml()),
             ("xl/worksheets/sheet1.xml", sheet1), ("xl/worksheets/sheet2.xml", sheet2)]
    with zipfile.ZipFile(OUT, "w") as archive:
        for name, xml in parts:
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 31, 8, 0, 0))
            # One stored part, as some writers leave small parts uncompressed.
            info.compress_type = zipfile.ZIP_STORED if name.endswith("sheet2.xml") else zipfile.ZIP_DEFLATED
            archive.writestr(info, xml.encode("utf-8"))

    with open(EXPECTED, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "area_km2", "population_thousands"])
        for entry in data:
            writer.writerow([entry["name"], entry["area"], entry["population"]])
    print("wrote %s (%d data rows) and %s"
          % (os.path.relpath(OUT, ROOT), len(data), os.path.relpath(EXPECTED, ROOT)))
    write_shares()


# Excel stores a cell typed as 45.8% as 0.458 and shows it through its number format, so a reader that
# ignores formats loads 0.458 percent. Each row tests one format: a custom percentage, the built-in 0% (id
# 9), General (id 0), and a custom format with a quoted "%", which only appends the sign and does not scale.
# The reader should return the values 45.8, 50, 61.2 and 0.3, with two cells converted.
SHARE_ROWS = [("DOSSIER_FULLY_ONLINE_SHARE", "01", 2024, "0.458", "custom percent"),
              ("DOSSIER_FULLY_ONLINE_SHARE", "79", 2024, "0.5", "built-in percent"),
              ("DOSSIER_FULLY_ONLINE_SHARE", "48", 2024, "61.2", "general"),
              ("DOSSIER_FULLY_ONLINE_SHARE", "31", 2024, "0.3", "quoted percent sign")]
# cellXfs indices, as the cells' s attributes refer to them.
SHARE_STYLE = {"general": 0, "custom percent": 1, "built-in percent": 2, "quoted percent sign": 3, "text": 4}


def write_shares():
    strings = Strings()

    def shared(ref, text):
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, strings.plain(text))

    # Unit codes as inline strings in a Text-formatted (@, id 49) cell, as Excel keeps "01" once the column
    # is formatted as text: the leading zero must survive.
    def unit(ref, text):
        return '<c r="%s" s="%d" t="inlineStr"><is><t>%s</t></is></c>' % (ref, SHARE_STYLE["text"], escape(text))

    rows = [row(1, [shared("%s1" % col, text) for col, text in zip("ABCD", ["indicator", "unit", "period",
                                                                            "value"])])]
    for number, (indicator, code, period, value, style) in enumerate(SHARE_ROWS, start=2):
        rows.append(row(number, [shared("A%d" % number, indicator), unit("B%d" % number, code),
                                 '<c r="C%d"><v>%d</v></c>' % (number, period),
                                 '<c r="D%d" s="%d"><v>%s</v></c>' % (number, SHARE_STYLE[style], value)]))
    sheet = (HEAD + '<worksheet xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL)
             + '<dimension ref="A1:D%d"/>' % (len(SHARE_ROWS) + 1)
             + '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
             + '<sheetFormatPr defaultRowHeight="15"/>'
             + "<sheetData>%s</sheetData>" % "".join(rows)
             + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
             + "</worksheet>")
    workbook = (HEAD + '<workbook xmlns="%s" xmlns:r="%s">' % (NS_MAIN, NS_REL)
                + '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
                + '<calcPr calcId="191029"/></workbook>')
    workbook_rels = (HEAD + '<Relationships xmlns="%s">' % NS_PKG
                     + '<Relationship Id="rId1" Type="%s/worksheet" Target="worksheets/sheet1.xml"/>' % NS_REL
                     + '<Relationship Id="rId2" Type="%s/styles" Target="styles.xml"/>' % NS_REL
                     + '<Relationship Id="rId3" Type="%s/sharedStrings" Target="sharedStrings.xml"/>' % NS_REL
                     + "</Relationships>")
    # Formats as Excel writes them: the quotes of a custom format code as &quot;, and a second cell style
    # ("Percent", with format 9) in cellStyleXfs, whose xf elements a cell's s attribute does not count.
    formats = [(164, '0.0%'), (165, '0.0"%"')]
    styles = (HEAD + '<styleSheet xmlns="%s">' % NS_MAIN
              + '<numFmts count="%d">' % len(formats)
              + "".join('<numFmt numFmtId="%d" formatCode="%s"/>' % (id, escape(code, {'"': "&quot;"}))
                        for id, code in formats)
              + "</numFmts>"
              + '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
              + '<scheme val="minor"/></font></fonts>'
              + '<fills count="2"><fill><patternFill patternType="none"/></fill>'
              + '<fill><patternFill patternType="gray125"/></fill></fills>'
              + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
              + '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
              + '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" applyFont="0" applyFill="0"'
              + ' applyBorder="0" applyAlignment="0" applyProtection="0"/></cellStyleXfs>'
              + '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              + '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="1" applyNumberFormat="1"/>'
              + '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="1"/>'
              + '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              + '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1">'
              + '<alignment horizontal="left"/></xf></cellXfs>'
              + '<cellStyles count="2"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
              + '<cellStyle name="Percent" xfId="1" builtinId="5"/></cellStyles>'
              + '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2"'
              + ' defaultPivotStyle="PivotStyleLight16"/></styleSheet>')
    content_types = (HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                     + 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                     + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                     + 'officedocument.spreadsheetml.sheet.main+xml"/>'
                     + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                     + 'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                     + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                     + 'officedocument.spreadsheetml.styles+xml"/>'
                     + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     + 'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    package_rels = (HEAD + '<Relationships xmlns="%s">' % NS_PKG
                    + '<Relationship Id="rId1" Type="%s/officeDocument" Target="xl/workbook.xml"/>' % NS_REL
                    + "</Relationships>")
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", package_rels),
             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbook_rels),
             ("xl/styles.xml", styles), ("xl/sharedStrings.xml", strings.xml()),
             ("xl/worksheets/sheet1.xml", sheet)]
    with zipfile.ZipFile(SHARES, "w") as archive:
        for name, xml in parts:
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 31, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, xml.encode("utf-8"))
    print("wrote %s (%d data rows)" % (os.path.relpath(SHARES, ROOT), len(SHARE_ROWS)))


if __name__ == "__main__":
    main()
