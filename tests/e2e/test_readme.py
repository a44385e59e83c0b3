"""The READMEs' examples work as written: every curl example of the API logs in first (or
sends the token it got), and README.zh-CN.md's block, run by the shell as it stands against
a server with the demo's agent account, is answered without a 401."""
import os
import re
import shutil
import subprocess

from harness import ROOT, Data, Server, sqlite_only

READMES = ["README.md", "README.zh-CN.md"]


def curls(text):
    """Every curl command in the text: code spans and lines of code blocks (a line ending
    in a backslash joined to the next)."""
    text = text.replace("\\\n", " ")
    found = re.findall(r"`(curl [^`]+)`", text)
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        found += [line for line in block.splitlines() if "curl " in line]
    return found


@sqlite_only("a test of the READMEs, not of a store")
def test_readme_api_examples_log_in_first():
    for name in READMES:
        with open(os.path.join(ROOT, name), encoding="utf-8") as f:
            commands = [c for c in curls(f.read()) if "/api/v1/" in c]
        assert commands, name
        for c in commands:
            if "/api/v1/session" in c or "/api/v1/public/" in c:
                continue
            assert "Authorization: Bearer" in c, (name, c)
    # README.zh-CN.md's block, run as it stands
    assert shutil.which("curl"), "curl is not installed: make deps installs it"
    with open(os.path.join(ROOT, "README.zh-CN.md"), encoding="utf-8") as f:
        block = next(b for b in re.findall(r"```sh\n(.*?)```", f.read(), re.S)
                     if "api/v1/session" in b)
    data = Data()
    try:
        srv = Server(data)
        try:
            data.add_user(srv, "agent", "agent", "371302", "Demo-2026")
            p = subprocess.run(["sh", "-e", "-c", block.replace("http://127.0.0.1:8080",
                                                                srv.base)],
                               capture_output=True, text=True, timeout=60)
            assert p.returncode == 0, p.stderr
            assert "unauthorized" not in p.stdout and '"name":"兰山区"' in p.stdout, p.stdout
        finally:
            srv.stop()
    finally:
        data.close()
