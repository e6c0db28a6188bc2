"""The built site's HTML, checked by the Nu HTML Checker (vnu.jar, from npm): no
error of the site's own making. The theme's known errors are listed below."""

import json
import os
import shutil
import subprocess

import pytest
from layout import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Material for MkDocs' own markup, on every page: its drawer and search toggles
# are checkboxes with autocomplete="off" (base.html). Not ours to change.
THEME_ERRORS = ["Attribute “autocomplete” is only allowed when the input type is"]


def test_no_html_error_of_our_own(site):
    if not VNU.exists() or not shutil.which("java"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the HTML checker: npm ci and a Java runtime", pytrace=False)
        pytest.skip("the Nu HTML Checker needs `npm ci` and Java")
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", str(site)],
                         capture_output=True, text=True)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{m['url'].split(str(site))[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" and not any(known in m["message"] for known in THEME_ERRORS)
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors[:40])
