"""The agreement as a document (调解协议书, docs/API.md): a case walked to its agreement over HTTP
prints as an A4 PDF — 人民调解协议书, or 口头调解协议登记表 for an oral agreement — with its number,
its parties in full, the facts, the terms, the manner and time of performance and the day;
before the agreement it is 409, for a leader (who reads cases but does not record them) 403,
outside one's scope 404. Every download, refusals too, is on the audit log naming the case and
never a party. The text is read back with pdftotext (poppler-utils)."""
import re
import subprocess
import tempfile
import threading
import time

from harness import Data, Server
from test_disputes import case, setup, step

FACTS = "楼上卫生间防水层老化，渗漏至楼下卧室，楼上住户负主要责任。"
TERMS = "楼上住户承担维修费2400元，并于维修期间为楼下住户另行安排住宿。"
PERFORMANCE = "自本协议签订之日起十日内一次付清。"


def pdf_text(raw):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(raw)
        f.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], capture_output=True,
                              text=True, check=True).stdout


def agreed(srv, town, med, form="written", accept=None):
    """A case recorded by the town's centre, accepted (given a body and a mediator by accept)
    and walked to its agreement by its mediator."""
    status, c = srv.json("POST", "/api/v1/disputes", case(), token=town)
    assert status == 201, c
    c = step(srv, c, "accept", accept or {}, town)
    c = step(srv, c, "mediate", {"note": "双方同意调解"}, med)
    c = step(srv, c, "session", {"at": c["created_at"], "place": "东关社区调解室",
                                 "attendees": "王秀英、李建国、调解员", "record": "双方陈述"}, med)
    return step(srv, c, "agree", {"form": form, "facts": FACTS, "terms": TERMS,
                                  "performance": PERFORMANCE}, med)


def named_mediator(srv, town):
    """A mediator with a real name on their account ("张明华", made by the administrator), a
    member of the town's committee; returns their token and the committee."""
    status, body = srv.json("POST", "/api/v1/users", {
        "username": "zhang", "role": "mediator", "scope": "371302001", "name": "张明华"})
    assert status == 201, body
    token = srv.login("zhang", body["initial_password"])
    status, got = srv.json("PUT", "/api/v1/me/password", {
        "old_password": body["initial_password"], "new_password": "Mediator-pass-2026"},
        token=token)
    assert status == 200, got
    status, committee = srv.json("POST", "/api/v1/mediation-bodies", {
        "name": "东关街道人民调解委员会", "kind": "town_committee", "region": "371302001",
        "members": [{"username": "zhang", "full_time": True}]}, token=town)
    assert status == 201, committee
    return token, committee


def download(srv, c, token):
    return srv.request("GET", f"/api/v1/disputes/{c['id']}/agreement.pdf", token=token)


def test_the_agreement_prints_in_full_for_its_recorders_only():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west, town, med = setup(data, srv)
            lead = data.add_user(srv, "lead", "leader", "371302001", "Leader-pass-2026")
            # not agreed yet: nothing to print
            status, c = srv.json("POST", "/api/v1/disputes", case(), token=town)
            status, _, raw = download(srv, c, med)
            assert status == 409 and b"no agreement" in raw, raw
            zhang, committee = named_mediator(srv, town)
            c = agreed(srv, town, zhang,
                       accept={"body": committee["id"], "mediator": "zhang"})
            assert c["mediator"] == "zhang", c
            t0 = time.time()
            status, headers, raw = download(srv, c, zhang)
            took = time.time() - t0
            assert status == 200, raw
            assert headers["Content-Type"] == "application/pdf", headers
            assert headers["Content-Disposition"] == \
                f'attachment; filename="{c["number"]}.pdf"', headers
            assert headers["Cache-Control"] == "no-store", headers
            assert raw.startswith(b"%PDF-") and raw.rstrip().endswith(b"%%EOF"), raw[:20]
            box = re.search(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", raw)
            assert box and round(float(box.group(1))) == 595 and \
                round(float(box.group(2))) == 842, box  # A4
            text = pdf_text(raw)
            for want in ["人民调解协议书", "编号：" + c["number"], "调解组织：东关街道人民调解委员会",
                         "调解员：张明华", "王秀英", "李建国",
                         "11010519491231002X", "138 0013 8000", "13912345678", "申请人",
                         "被申请人", FACTS[:12], TERMS[:12], PERFORMANCE[:10],
                         "当事人签名（申请人 王秀英）", "当事人签名（被申请人 李建国）", "调解员签名",
                         "人民调解委员会（印章）", "第 1 页 共 "]:
                assert want in text, (want, text)
            pages = int(re.search(r"第 1 页 共 (\d+) 页", text).group(1))
            assert pages <= 2 and text.count(" 页 共 ") == pages, text
            day = time.strftime("%Y年%-m月%-d日", time.gmtime(c["agreed_at"] + 8 * 3600))
            assert day in text, (day, text)
            print(f"agreement: {len(raw)} bytes, {took * 1000:.0f} ms over HTTP")
            # a judicial confirmation asked for since is noted on it
            c = step(srv, c, "confirm", {"status": "applied", "court": "兰山区人民法院"}, zhang)
            status, _, raw = download(srv, c, town)
            assert status == 200, raw
            text = pdf_text(raw)
            assert "已向人民法院申请司法确认" in text and "兰山区人民法院" in text, text
            # an oral agreement is registered on its own form; a case given no body and no
            # mediator leaves their lines to be filled in by hand
            oral = agreed(srv, town, med, form="oral")
            status, _, raw = download(srv, oral, med)
            assert status == 200, raw
            text = pdf_text(raw)
            assert "口头调解协议登记表" in text and "人民调解协议书" not in text, text
            assert "调解组织：\n" in text and "调解员：\n" in text, text
            # a leader reads cases but records none, nor prints them; outside one's scope and
            # unknown cases are not there
            status, _, raw = download(srv, c, lead)
            assert status == 403, raw
            status, _, raw = download(srv, c, west)
            assert status == 404, raw
            for bad in ["999", "0", "x", "01"]:
                status, _, raw = srv.request("GET", f"/api/v1/disputes/{bad}/agreement.pdf",
                                             token=med)
                assert status == 404, (bad, raw)
            # every download on the record, the refusals too, and never a party
            auditor = srv.login_first(data, "auditor")
            status, log = srv.get("/api/v1/audit?action=dispute.agreement_pdf&limit=100",
                                  token=auditor)
            records = log["records"]
            ok = [r for r in records if r["result"] == "ok"]
            assert len(ok) == 3, records
            assert {r["object_id"] for r in ok} == {str(c["id"]), str(oral["id"])}, ok
            assert any(r["detail"] == f'{c["number"]}, written' and r["actor"] == "zhang"
                       for r in ok), ok
            failed = [r for r in records if r["result"] != "ok"]
            assert {r["actor"] for r in failed} >= {"med", "west"}, failed
            for r in records:
                for secret in ["王秀英", "李建国", "11010519491231002X", "13800138000"]:
                    assert secret not in (r["detail"] or ""), r
        finally:
            code, log = srv.stop()
        assert code == 0 and "Sanitizer" not in log, log[-3000:]
    finally:
        data.close()


def test_agreements_print_from_several_requests_at_once():
    """Each request thread lays out with fonts of its own: downloads at once all come whole."""
    data = Data()
    try:
        srv = Server(data)
        try:
            _, _, town, med = setup(data, srv)
            cases = [agreed(srv, town, med) for _ in range(3)]
            results = []

            def fetch(c):
                for _ in range(3):
                    status, _, raw = download(srv, c, med)
                    results.append((c["number"], status, raw))

            threads = [threading.Thread(target=fetch, args=(c,)) for c in cases * 2]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert len(results) == 18, len(results)
            for number, status, raw in results:
                assert status == 200 and raw.startswith(b"%PDF-"), (number, status, raw[:80])
                assert number in pdf_text(raw), number
        finally:
            code, log = srv.stop()
        # it stops cleanly, the fonts released (under the sanitizers: nothing leaked)
        assert code == 0 and "Sanitizer" not in log, log[-3000:]
    finally:
        data.close()
