"""Measure the site on this machine, print one table and write bench/results.json.

    python bench/benchmark.py

What it measures, against the targets:
- the wall time of building all languages (python tools/build_site.py): at most 10 s;
- the wall time of the snippet tests on CPU, over a bare `python -c "import torch"`
  timed in the same run: at most 1.5 times;
- each language's lesson page on a first load in Chromium, served gzip-compressed
  as any web host serves it: bytes transferred (HTML, CSS, JS, fonts, ...) and the
  number of requests: at most 250 KB;
- Lighthouse (npm; Debian's Chromium) performance and accessibility of each lesson
  page: at least 98 and 100.
Needs what the tests need: requirements.txt, `npm ci`, and Chromium on PATH.
"""

import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = [p.name for p in sorted((ROOT / "docs").iterdir()) if p.is_dir() and p.name != "assets"]
LESSON = "basic-llm-concepts.html"
CHROMIUM = shutil.which("chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run"


def wall_time(command: list[str], runs: int = 3) -> float:
    """The median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a web host would: gzip-compressed when the browser accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if path.is_dir() else path
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> str:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def page_weight(url: str) -> dict:
    """What a browser with an empty cache downloads for the page, until the network
    is idle: bytes over the wire (gzip-compressed) and bytes once uncompressed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS.split()[1:])
        page = browser.new_page()
        responses = []
        page.on("requestfinished", lambda r: responses.append((r.sizes()["responseBodySize"], len(r.response().body()))))
        page.goto(url, wait_until="networkidle")
        browser.close()
    return {"requests": len(responses), "transferred_bytes": sum(t for t, _ in responses), "bytes": sum(b for _, b in responses)}


def lighthouse(url: str) -> dict:
    """Lighthouse's scores: its default (a mid-range phone on slow 4G) and its desktop preset."""
    scores = {}
    for device, preset in (("mobile", []), ("desktop", ["--preset=desktop"])):
        out = subprocess.run(
            ["npx", "--no-install", "lighthouse", url, "--quiet", "--output=json",
             "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}", *preset],
            cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, check=True,
        ).stdout
        categories = json.loads(out)["categories"]
        scores[f"performance_{device}"] = round(categories["performance"]["score"] * 100)
        scores["accessibility"] = round(categories["accessibility"]["score"] * 100)
    return scores


def main() -> None:
    if not CHROMIUM:
        sys.exit("needs chromium on PATH (apt-get install chromium)")
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build = [sys.executable, "tools/build_site.py", "--site-dir", str(site)]
        results["build_s"] = round(wall_time(build), 2)
        bare = wall_time([sys.executable, "-c", "import torch"])
        tests = wall_time([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_snippets.py", "--device=cpu"])
        results["import_torch_s"], results["snippet_tests_s"] = round(bare, 2), round(tests, 2)
        results["snippet_tests_ratio"] = round(tests / bare, 2)
        url = serve(site)
        results["pages"] = {lang: {**page_weight(f"{url}/{lang}/{LESSON}"), **lighthouse(f"{url}/{lang}/{LESSON}")} for lang in LANGUAGES}

    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("| measure | value | target |\n| --- | --- | --- |")
    print(f"| build, all {len(LANGUAGES)} languages | {results['build_s']} s | ≤ 10 s |")
    print(f"| snippet tests (CPU) / bare `import torch` | {results['snippet_tests_s']} s / {results['import_torch_s']} s = {results['snippet_tests_ratio']}× | ≤ 1.5× |")
    for lang, page in results["pages"].items():
        print(
            f"| `{lang}` lesson, first load | {page['transferred_bytes'] / 1000:.0f} KB transferred ({page['bytes'] / 1000:.0f} KB uncompressed), "
            f"{page['requests']} requests; Lighthouse performance {page['performance_mobile']} (mobile), "
            f"{page['performance_desktop']} (desktop), accessibility {page['accessibility']} | ≤ 250 KB; ≥ 98, 100 |"
        )


if __name__ == "__main__":
    main()
