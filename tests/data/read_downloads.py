"""Reads every open-data download with Python's own readers (tests/data.rs): csv with the
utf-8-sig codec (BOM present), openpyxl for the workbooks, jsonschema against the published
schemas. Prints one line per file; exits non-zero on any problem."""
import csv
import json
import pathlib
import sys

import jsonschema
import openpyxl

data = pathlib.Path(sys.argv[1])
template = pathlib.Path(sys.argv[2])

for path in sorted(data.glob("*.csv")):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows and all(len(r) == len(rows[0]) for r in rows), f"{path.name}: ragged rows"
    print(f"{path.name} rows {len(rows) - 1}")

for path in sorted(data.glob("*.xlsx")):
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if any(v is not None for v in r)]
    header = [c.value for c in sheet[2]]
    value = header.index("value")
    assert all(isinstance(r[value], (int, float)) for r in rows if r[value] is not None), "figures are numbers"
    print(f"{path.name} rows {len(rows)}")

for name, schema in [("all.json", "all.schema.json")] + [(p.name, "plan.schema.json") for p in data.glob("plan-*.json")]:
    jsonschema.validate(json.loads((data / name).read_text("utf-8")), json.loads((data / schema).read_text("utf-8")))
    print(f"{name} valid")

catalog = json.loads((data / "catalog.json").read_text("utf-8"))
for d in catalog["dataset"]:
    name = d["distribution"][0]["contentUrl"].rsplit("/", 1)[1]
    assert d["distribution"][0]["contentSize"] == f"{(data / name).stat().st_size} B", name
print(f"catalog datasets {len(catalog['dataset'])}")

book = openpyxl.load_workbook(template)
sheet = book["填报"]
print(f"template protected {sheet.protection.sheet}")
print(f"template validations {len(sheet.data_validations.dataValidation)}")
print(f"template sheets {' '.join(book.sheetnames)}")
