#!/usr/bin/env python3
"""Writes the statistics-office corpus: real figures from ../shared/data (copied into Datasets/reference)
in the layouts real publishers use. Run from the repository root; the outputs are committed, so the tests
need no Python. Only the Total figures are real: Male/Female/Urban/Rural splits are fixed shares of them,
there only to give the table its five measure groups."""
import collections, csv, os

here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, "../../../../Datasets/reference")
rows = list(csv.DictReader(open(os.path.join(ref, "population/population_by_province_2011_2024.csv"), encoding="utf-8")))
by = collections.OrderedDict()
for r in rows:
    by.setdefault(r["gso_code"], {})[int(r["year"])] = r
years = list(range(2011, 2025))
region = {r["code"]: (r["region_code"], r["region_en"]) for r in
          csv.DictReader(open(os.path.join(ref, "pre2025/socioeconomic_regions_63.csv"), encoding="utf-8"))}
merge = {r["old_code"]: r["new_code"] for r in
         csv.DictReader(open(os.path.join(ref, "2025/province_merge_63_to_34.csv"), encoding="utf-8"))}


def write(name, text, encoding="utf-8", bom=False):
    data = text.encode(encoding)
    if bom:
        data = ("\ufeff".encode(encoding)) + data
    open(os.path.join(here, name), "wb").write(data)


def comma(x):
    return ("%.1f" % x).replace(".", ",")


def pop(code, year):
    return float(by[code][year]["avg_population_thousand"])


# 1. Measure first, "Prel." for the preliminary year, five measure groups, semicolons, decimal commas, BOM,
#    CRLF, a title line and a footnote - as the statistics office's PX-Web exports them.
groups = [("Total", 1.0), ("Male", 0.494), ("Female", 0.506), ("Urban", 0.38), ("Rural", 0.62)]
label = lambda m, y: f"{m} {'Prel. ' if y == 2024 else ''}{y}"
lines = ['"Average population by province by Sex, Residence and Year (Thous. pers.)"',
         ";".join(["Cities, provincial"] + [label(m, y) for m, _ in groups for y in years])]
lines.append(";".join(["WHOLE COUNTRY"] + [comma(sum(pop(c, y) for c in by) * f) for _, f in groups for y in years]))
for code in by:
    lines.append(";".join([by[code][2011]["source_name"]] + [comma(pop(code, y) * f) for _, f in groups for y in years]))
lines.append('"Prel.: preliminary figures. Source: General Statistics Office"')
write("V02.01-sex-residence.csv", "\r\n".join(lines) + "\r\n", bom=True)

# 2. The same cut to its Total columns: commas, decimal points, the unit in the title line.
lines = ['"Average population by province (Thous. pers.)"',
         ",".join(['"Cities, provincial"'] + [f"Total {y}" for y in years])]
for code in by:
    lines.append(",".join([f'"{by[code][2011]["source_name"]}"'] + [by[code][y]["avg_population_thousand"] for y in years]))
write("V02.01-total.csv", "\n".join(lines) + "\n")

# 3. Every form of a year label, one measure, thousands in a title's unit line, missing marks.
forms = ["2011", "Năm 2012", "2013 (*)", "Sơ bộ 2014", "Prel. 2015", "2016 (*)", "Năm 2017 (Sơ bộ)"]
lines = ["Dân số trung bình phân theo địa phương", "Đơn vị tính: Nghìn người", "",
         "\t".join(["Tỉnh, thành phố"] + forms)]
for i, code in enumerate(by):
    cells = [by[code][y]["avg_population_thousand"] for y in range(2011, 2018)]
    if i == 5:
        cells[2] = ".."
    if i == 6:
        cells[3] = "-"
    lines.append("\t".join([by[code][2011]["name_vi"]] + cells))
write("year-label-forms.tsv", "\n".join(lines) + "\n")

# 3b. Measure names after the year in English and before it in Vietnamese, several measures a year.
share = {"Total": 1.0, "Urban": 0.38, "Rural": 0.62}
vi = {"Total": "Tổng số", "Urban": "Thành thị", "Rural": "Nông thôn"}
for name, fmt in (("measure-after-year.csv", lambda m, y: f"{y} {m}"),
                  ("measure-before-year-vi.csv", lambda m, y: f"{vi[m]} {y}")):
    lines = ["\t".join([""] + [fmt(m, y) for y in (2019, 2020) for m in share]).replace("\t", ",")]
    for code in by:
        lines.append(",".join([f'"{by[code][2011]["name_vi"]}"'] + ["%.1f" % (pop(code, y) * share[m])
                                                                 for y in (2019, 2020) for m in share]))
    write(name, "\n".join(lines) + "\n")

# 4. Area, population and density under each year, the header on two rows (years merged above measures).
ys = [2022, 2023, 2024]
top = ["Tỉnh, thành phố"]
bottom = [""]
for y in ys:
    top += [str(y), "", ""]
    bottom += ["Diện tích (Km2)", "Dân số trung bình (Nghìn người)", "Mật độ dân số (Người/km2)"]
lines = ["Diện tích, dân số và mật độ dân số phân theo địa phương", ";".join(top), ";".join(bottom)]
for code in by:
    cells = []
    for y in ys:
        r = by[code][y]
        cells += [comma(float(r["implied_area_km2"])), comma(float(r["avg_population_thousand"])),
                  str(round(float(r["population_density_per_km2"])))]
    lines.append(";".join([by[code][2011]["name_vi"]] + cells))
write("area-population-density.csv", "\n".join(lines) + "\n")

# 5. Counts of district-level units by type under each year: not a population at all.
types = ["Tổng số", "Quận", "Thị xã", "Thành phố thuộc tỉnh", "Huyện"]
lines = ["Số đơn vị hành chính cấp huyện phân theo địa phương",
         ",".join(['"Tỉnh, thành phố"'] + [f"{t} {y}" for y in (2022, 2023) for t in types])]
for i, code in enumerate(list(by)[:20]):
    n = [12 + i % 7, 2 + i % 3, 1, 1, 8 + i % 7]
    n[0] = sum(n[1:])
    lines.append(",".join([by[code][2011]["name_vi"]] + [str(v) for _ in (2022, 2023) for v in n]))
write("district-units-by-type.csv", "\n".join(lines) + "\n")

# 6. 2024 figures for the 34 new provinces, coded as letter 915 codes them.
new = collections.OrderedDict()
for code in by:
    new.setdefault(merge[code], 0.0)
    new[merge[code]] += pop(code, 2024)
lines = ["code,2024 Average population (Thous. pers.)"]
for code in sorted(new):
    lines.append(f"{code},{new[code]:.1f}")
write("population-34-provinces-2024.csv", "\n".join(lines) + "\n")

# 7. Excel's "Unicode text": UTF-16LE with a byte-order mark, tabs, CRLF.
lines = ["\t".join(["Tỉnh, thành phố"] + [f"{y} (Nghìn người)" for y in (2019, 2020)])]
for code in by:
    lines.append("\t".join([by[code][2011]["name_vi"]] + [by[code][y]["avg_population_thousand"] for y in (2019, 2020)]))
write("population-unicode-text.txt", "\r\n".join(lines) + "\r\n", encoding="utf-16-le", bom=True)

# 8. The long layout: the reference table itself, one row per province and year.
write("population-long.csv", open(os.path.join(ref, "population/population_by_province_2011_2024.csv"),
                                  encoding="utf-8").read())
