"""Imports and exports of the registry: CSV and XLSX files of persons, households, buildings and
houses, each row checked as the single-record routes check it, a file with a bad row storing
nothing, a second import of the same file changing nothing, a changed row updated, rows
outside one's scope refused by row number; exports masked as the lists are, and audited."""
import io
import zipfile

from harness import Data, Server

GRID = "371302001001001"       # 东关社区第1网格
OTHER_GRID = "371302001002001"  # 西关社区第1网格
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CSV = {"Content-Type": "text/csv"}
XLSX = {"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def resident_id(birth, seq):
    body = "371302" + birth + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def persons_csv(rows, header="证件号码,姓名,联系电话,人口类型,网格编码,关爱对象"):
    return ("\ufeff" + header + "\r\n" + "".join(",".join(r) + "\r\n" for r in rows)).encode()


def people(n, grid=GRID, name="张三丰"):
    return [[resident_id("19800101", i), name, f"1381234{i:04d}", "户籍", grid, "独居老人；残疾人"]
            for i in range(1, n + 1)]


def post(srv, path, body, token, headers=CSV):
    return srv.json("POST", path, body, token=token, headers=headers)


def count(srv, token, grid=GRID):
    status, body = srv.get(f"/api/v1/persons?grid={grid}&limit=200", token=token)
    assert status == 200, body
    return len(body["persons"])


def xlsx(rows):
    """A workbook of one sheet: text as shared strings, numbers as numbers."""
    strings, sheet = [], []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = chr(ord("A") + c) + str(r)
            if isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                strings.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet.append(f'<row r="{r}">{"".join(cells)}</row>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", '<workbook><sheets><sheet name="s" sheetId="1"/></sheets>'
                   "</workbook>")
        z.writestr("xl/sharedStrings.xml", "<sst>" + "".join(
            f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml",
                   "<worksheet><sheetData>" + "".join(sheet) + "</sheetData></worksheet>")
    return out.getvalue()


def test_persons_import_all_or_nothing_idempotent_and_scoped():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
            west = data.add_user(srv, "west", "gridworker", "371302001002", "Grid-pass-2026")
            # a bad row among good ones: nothing stored, the row and field named
            rows = people(3)
            rows[1][2] = "12345"
            status, body = post(srv, "/api/v1/persons/import", persons_csv(rows), gw)
            assert status == 400, body
            rep = body["error"]["report"]
            assert rep["stored"] is False and rep["refused"] == 1 and rep["rows"] == 3, rep
            assert rep["errors"][0]["row"] == 3 and rep["errors"][0]["field"] == "phone", rep
            assert count(srv, gw) == 0
            # every bad row is named, not only the first
            rows = people(4)
            rows[0][3] = "moon"
            rows[3][0] = rows[2][0]
            status, body = post(srv, "/api/v1/persons/import", persons_csv(rows), gw)
            rep = body["error"]["report"]
            assert [(e["row"], e["field"]) for e in rep["errors"]] == [
                (2, "residence"), (5, "id_number")], rep
            assert "row 4" in rep["errors"][1]["message"], rep
            assert count(srv, gw) == 0
            # a good file: created; the same again: unchanged; one row changed: updated
            status, body = post(srv, "/api/v1/persons/import", persons_csv(people(3)), gw)
            assert status == 200 and body["created"] == 3 and body["stored"], body
            status, body = post(srv, "/api/v1/persons/import", persons_csv(people(3)), gw)
            assert status == 200 and body["unchanged"] == 3 and body["created"] == 0, body
            rows = people(3)
            rows[2][1] = "李四"
            status, body = post(srv, "/api/v1/persons/import", persons_csv(rows), gw)
            assert status == 200 and (body["updated"], body["unchanged"]) == (1, 2), body
            assert count(srv, gw) == 3
            status, body = srv.get("/api/v1/persons?id_number=" + rows[2][0], token=gw)
            assert body["persons"][0]["name"] == "李*" and sorted(body["persons"][0]["care"]) == [
                "alone", "disabled"], body
            # a file of a few columns changes those of the persons it names
            few = f"id_number,phone\r\n{rows[0][0]},13900000001\r\n".encode()
            status, body = post(srv, "/api/v1/persons/import", few, gw)
            assert status == 200 and body["updated"] == 1, body
            status, body = srv.get("/api/v1/persons?id_number=" + rows[0][0], token=gw)
            p = body["persons"][0]
            assert p["phone"] == "139****0001" and p["name"] == "张*", p
            status, body = post(srv, "/api/v1/persons/import", few, gw)
            assert status == 200 and body["unchanged"] == 1, body
            # English column names, and a file of another scope's grid refused by row
            header = "id_number,name,phone,residence,grid"
            rows = [r[:5] for r in people(5)[3:]]
            status, body = post(srv, "/api/v1/persons/import", persons_csv(rows, header), west)
            rep = body["error"]["report"]
            assert status == 400 and [e["row"] for e in rep["errors"]] == [2, 3], rep
            assert rep["errors"][0]["field"] == "grid" and "scope" in rep["errors"][0]["message"]
            assert count(srv, gw) == 3
            # a person recorded in another's scope is not changed through an import
            rows = [r[:5] for r in people(1)]
            rows[0][4] = OTHER_GRID
            status, body = post(srv, "/api/v1/persons/import", persons_csv(rows, header), west)
            assert status == 400 and "outside your scope" in body["error"]["report"]["errors"][
                0]["message"], body
            # special populations need the grant, row by row
            rows = [r[:5] + ["吸毒人员"] for r in people(1)]
            status, body = post(srv, "/api/v1/persons/import",
                                persons_csv(rows, header + ",special"), gw)
            assert status == 400 and "registry_sensitive" in body["error"]["report"]["errors"][
                0]["message"], body
            # the header: an unknown column, a missing key column
            status, body = post(srv, "/api/v1/persons/import", b"id_number,nickname\r\n1,2\r\n", gw)
            assert status == 400 and "nickname" in body["error"]["message"], body
            status, body = post(srv, "/api/v1/persons/import", b"name\r\nx\r\n", gw)
            assert status == 400 and "id_number" in body["error"]["message"], body
            # a GBK file from Excel reads as the same text
            gbk = persons_csv(people(3)).decode("utf-8-sig").encode("gbk")
            status, body = post(srv, "/api/v1/persons/import", gbk, gw)
            assert status == 200 and (body["updated"], body["unchanged"]) == (2, 1), body
            status, body = post(srv, "/api/v1/persons/import", b"id_number\r\n\xff\xfe\xff\r\n", gw)
            assert status == 400 and "UTF-8" in body["error"]["message"], body
            assert body["error"]["report"]["errors"][0]["row"] == 0, body
            status, body = post(srv, "/api/v1/persons/import", b"id_number,nickname\r\n", gw)
            assert body["error"]["report"]["errors"][0]["row"] == 1, body
            # the import is on the record
            auditor = srv.login_first(data, "auditor")
            status, body = srv.get("/api/v1/audit?limit=200", token=auditor)
            imports = [r for r in body["records"] if r["action"] == "person.import"]
            assert len(imports) >= 10 and any(r["result"] == "ok" for r in imports), imports
        finally:
            srv.stop()
    finally:
        data.close()


def test_exports_masked_and_audited():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
            status, body = post(srv, "/api/v1/persons/import", persons_csv(people(2)), gw)
            assert status == 200, body
            status, headers, raw = srv.request("GET", "/api/v1/persons/export?grid=" + GRID,
                                               token=gw)
            assert status == 200 and headers["Content-Type"].startswith("text/csv"), raw
            text = raw.decode("utf-8-sig")
            lines = text.strip().split("\r\n")
            assert lines[0].split(",")[:3] == ["id_type", "id_number", "name"], lines
            assert "special" not in lines[0] and len(lines) == 3, lines
            assert "张*" in lines[1] and "138****0001" in lines[1], lines
            assert resident_id("19800101", 1) not in text and "张三丰" not in text, text
            assert "alone;disabled" in lines[1], lines
            # with the grant, the special populations are a column
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive", {"granted": True})
            assert status == 200, body
            status, _, raw = srv.request("GET", "/api/v1/persons/export", token=gw)
            assert status == 200 and "special" in raw.decode("utf-8-sig").split("\r\n")[0], raw
            auditor = srv.login_first(data, "auditor")
            status, body = srv.get("/api/v1/audit?limit=200", token=auditor)
            exports = [r for r in body["records"] if r["action"] == "person.export"]
            assert len(exports) == 2 and all("2 rows" in r["detail"] for r in exports), exports
            status, _, raw = srv.request("GET", "/api/v1/households/export", token=gw)
            assert status == 200 and raw.decode("utf-8-sig").startswith("number,grid"), raw
        finally:
            srv.stop()
    finally:
        data.close()


def test_households_with_heads_and_members():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
            hh = "户号,网格编码,地址\r\nH001,{g},金雀山路18号\r\nH002,{g},金雀山路20号\r\n".format(
                g=GRID).encode()
            # a household of a grid outside the scope: refused by row, none of the file kept
            bad = hh + "H003,371302002001001,南坛村1号\r\n".encode()
            status, body = post(srv, "/api/v1/households/import", bad, gw)
            rep = body["error"]["report"]
            assert status == 400 and [(e["row"], e["field"]) for e in rep["errors"]] == [
                (4, "grid")], rep
            status, body = srv.get("/api/v1/households?grid=" + GRID, token=gw)
            assert status == 200 and body["households"] == [], body
            status, body = post(srv, "/api/v1/households/import", hh, gw)
            assert status == 200 and body["created"] == 2, body
            rows = [r + ["H001"] for r in people(2)]
            status, body = post(srv, "/api/v1/persons/import", persons_csv(
                rows, "证件号码,姓名,联系电话,人口类型,网格编码,关爱对象,户号"), gw)
            assert status == 200 and body["created"] == 2, body
            rows[1][6] = "H404"
            status, body = post(srv, "/api/v1/persons/import", persons_csv(
                rows, "证件号码,姓名,联系电话,人口类型,网格编码,关爱对象,户号"), gw)
            assert status == 400 and body["error"]["report"]["errors"][0]["field"] == "household"
            heads = f"number,head\r\nH001,{resident_id('19800101', 1)}\r\n".encode()
            status, body = post(srv, "/api/v1/households/import", heads, gw)
            assert status == 200 and body["updated"] == 1, body
            status, body = post(srv, "/api/v1/households/import", heads, gw)
            assert status == 200 and body["unchanged"] == 1, body
            status, body = srv.get("/api/v1/households?grid=" + GRID, token=gw)
            h1 = [h for h in body["households"] if h["number"] == "H001"][0]
            assert h1["head"] is not None, h1
        finally:
            srv.stop()
    finally:
        data.close()


def test_buildings_and_houses_from_csv_and_xlsx():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
            west = data.add_user(srv, "west", "gridworker", "371302001002", "Grid-pass-2026")
            rows = [["建筑编码", "建筑名称", "网格编码", "标准地址", "地上层数", "用途"],
                    ["B1", "3号楼", GRID, "金雀山路18号3号楼", 6, "住宅"],
                    ["B2", "4号楼", GRID, "金雀山路18号4号楼", 18, "商住"]]
            status, body = post(srv, "/api/v1/buildings/import", xlsx(rows), gw, XLSX)
            assert status == 200 and body["created"] == 2, body
            status, body = post(srv, "/api/v1/buildings/import", xlsx(rows), gw, XLSX)
            assert status == 200 and body["unchanged"] == 2, body
            rows[2][4] = 20
            status, body = post(srv, "/api/v1/buildings/import", xlsx(rows), gw, XLSX)
            assert status == 200 and body["updated"] == 1, body
            status, body = srv.get("/api/v1/buildings/B2", token=gw)
            assert status == 200 and body["floors"] == 20 and body["use"] == "mixed", body
            # a bad row: nothing of the file is kept
            bad = [rows[0], ["B3", "5号楼", GRID, "x", 7, "住宅"], ["B4", "6号楼", GRID, "y", 0, "住宅"]]
            status, body = post(srv, "/api/v1/buildings/import", xlsx(bad), gw, XLSX)
            rep = body["error"]["report"]
            assert status == 400 and rep["errors"][0]["row"] == 3, body
            assert rep["errors"][0]["field"] == "floors", body
            status, body = srv.get("/api/v1/buildings/B3", token=gw)
            assert status == 404, body
            # houses, matched by building, unit and room
            houses = ("building,unit,floor,room,use,tenants\r\nB1,1,3,301,自住,\r\n"
                      "B1,1,3,302,出租,2\r\n").encode()
            status, body = post(srv, "/api/v1/houses/import", houses, gw)
            assert status == 200 and body["created"] == 2, body
            status, body = post(srv, "/api/v1/houses/import", houses, gw)
            assert status == 200 and body["unchanged"] == 2, body
            changed = houses.replace(b"302,\xe5\x87\xba\xe7\xa7\x9f,2", b"302,\xe5\x87\xba\xe7\xa7\x9f,3")
            status, body = post(srv, "/api/v1/houses/import", changed, gw)
            assert status == 200 and body["updated"] == 1, body
            status, body = post(srv, "/api/v1/houses/import", houses + b"B1,1,9,901,,\r\n", gw)
            assert status == 400 and body["error"]["report"]["errors"][0]["row"] == 4, body
            # outside one's scope a building is unknown, named by row
            status, body = post(srv, "/api/v1/houses/import", houses, west)
            assert status == 400 and body["error"]["report"]["errors"][0]["field"] == "building"
            status, _, raw = srv.request("GET", "/api/v1/houses/export", token=gw)
            lines = raw.decode("utf-8-sig").strip().split("\r\n")
            assert status == 200 and len(lines) == 3 and lines[0].startswith("building,"), lines
            status, _, raw = srv.request("GET", "/api/v1/buildings/export", token=west)
            assert status == 200 and len(raw.decode("utf-8-sig").strip().split("\r\n")) == 1
            # a zip bomb is refused, not inflated
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("xl/workbook.xml", "<workbook/>")
                z.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * (64 << 20))
            status, body = post(srv, "/api/v1/buildings/import", out.getvalue(), gw, XLSX)
            assert status == 413 and "zip bomb" in body["error"]["message"], body
            status, body = post(srv, "/api/v1/buildings/import", b"code\r\nB9\r\n", gw,
                                {"Content-Type": "image/png"})
            assert status == 400 and "Content-Type" in body["error"]["message"], body
        finally:
            srv.stop()
    finally:
        data.close()


def test_persons_from_xlsx_with_date_cells():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
            header = ["证件号码", "姓名", "出生日期", "性别", "人口类型", "网格编码", "联系电话"]
            rows = [header,
                    [resident_id("19800101", 1), "张三", 29221, "男", "户籍", int(GRID), 13812340001],
                    [resident_id("19800101", 2), "李四", "1980/1/1", "男", "流动", int(GRID), ""]]
            # the second ID's 17th digit is even: a woman, not a man; the date typed with slashes
            status, body = post(srv, "/api/v1/persons/import", xlsx(rows), gw, XLSX)
            assert status == 400, body
            errs = body["error"]["report"]["errors"]
            assert [(e["row"], e["field"]) for e in errs] == [(3, "gender")], errs
            rows[2][3] = "女"
            status, body = post(srv, "/api/v1/persons/import", xlsx(rows), gw, XLSX)
            assert status == 200 and body["created"] == 2, body
            # a date cell that is not the ID's birth date is refused naming it
            rows[1][2] = 29222
            status, body = post(srv, "/api/v1/persons/import", xlsx(rows), gw, XLSX)
            assert status == 400 and body["error"]["report"]["errors"][0]["field"] == "birth_date"
            status, body = srv.get("/api/v1/persons?id_number=" + resident_id("19800101", 1),
                                   token=gw)
            assert body["persons"][0]["phone"] == "138****0001", body
        finally:
            srv.stop()
    finally:
        data.close()


def test_orgs_and_things_imported_and_exported():
    """Organizations matched by their credit code and things by their code: a bad row keeps
    the whole file out, the same file again changes nothing, a changed row is updated; the
    exports are masked as the lists are."""
    from test_registry_orgs import credit_code, units
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
            units(srv)
            codes = [credit_code(f"MA{n:06d}") for n in (1, 2)]
            header = "统一社会信用代码,名称,类型,负责人,负责人电话,网格编码,地址,隐患标志"
            rows = [[codes[0], "兰山区东关第1商贸有限公司", "企业", "欧阳明月", "13698760001", GRID,
                     "东关街道和平路88号", "燃气用户、人员密集场所"],
                    [codes[1], "东关社区幼儿园", "学校", "李静", "13698760002", GRID,
                     "东关街道和平路90号", ""]]
            bad = rows + [[codes[0][:-1] + "0", "错码公司", "企业", "王五", "", GRID, "", ""]]
            status, body = post(srv, "/api/v1/orgs/import", persons_csv(bad, header), gw)
            rep = body["error"]["report"]
            assert status == 400 and rep["stored"] is False, body
            assert [e["row"] for e in rep["errors"]] == [4], rep
            assert rep["errors"][0]["field"] == "credit_code", rep
            assert data.count("org") == 0
            status, body = post(srv, "/api/v1/orgs/import", persons_csv(rows, header), gw)
            assert status == 200 and body["created"] == 2, body
            status, body = post(srv, "/api/v1/orgs/import", persons_csv(rows, header), gw)
            assert status == 200 and body["unchanged"] == 2 and body["created"] == 0, body
            rows[1][1] = "东关社区第一幼儿园"
            status, body = post(srv, "/api/v1/orgs/import", persons_csv(rows, header), gw)
            assert status == 200 and body["updated"] == 1 and body["unchanged"] == 1, body
            status, _, raw = srv.request("GET", "/api/v1/orgs/export", token=gw)
            text = raw.decode("utf-8-sig")
            assert status == 200 and "东关社区第一幼儿园" in text, text
            assert "gas_user" in text and "crowded_place" in text, text
            assert "13698760001" not in text and "欧阳明月" not in text, text  # masked
            # things, by their code
            header = "部件编码,名称,状态,权属单位,养护单位,网格编码,经度,纬度"
            things = [["37130201010001", "雨水井盖", "完好", "sz", "cgzf", GRID, "118.304", "35.004"],
                      ["37130202010001", "路灯", "破损", "sz", "cgzf", GRID, "118.305", "35.005"]]
            status, body = post(srv, "/api/v1/things/import",
                                persons_csv(things + [["37130201010009", "井盖", "被偷", "sz",
                                                       "cgzf", GRID, "", ""]], header), gw)
            rep = body["error"]["report"]
            assert status == 400 and [(e["row"], e["field"]) for e in rep["errors"]] == [
                (4, "state")], rep
            assert data.count("thing") == 0
            status, body = post(srv, "/api/v1/things/import", persons_csv(things, header), gw)
            assert status == 200 and body["created"] == 2, body
            status, body = post(srv, "/api/v1/things/import", persons_csv(things, header), gw)
            assert status == 200 and body["unchanged"] == 2, body
            status, t = srv.get("/api/v1/things/37130202010001", token=gw)
            assert t["state"] == "damaged" and t["name"] == "路灯", t
            status, _, raw = srv.request("GET", "/api/v1/things/export", token=gw)
            assert status == 200 and "37130202010001" in raw.decode("utf-8-sig"), raw
        finally:
            srv.stop()
    finally:
        data.close()
