"""Measure the site on this machine, print one table and write bench/results.json.

    python bench/benchmark.py            # measure (about an hour: Lighthouse on every page)
    python bench/benchmark.py --table    # print the table of the last measure again

What it measures, against the targets:
- the wall time of building all languages (python tools/build_site.py), per page
  per language: at most 0.6 s;
- the wall time of the snippet tests on CPU over one plain Python process that
  imports torch once and runs every snippet (the runner's own cost): at most 1.10
  times (median of 5, each timed beside the other); and what the snippets cost
  beyond a bare `import torch`;
- each language's home and lesson pages on a first load in Chromium, served
  gzip-compressed as any web host serves it: bytes transferred (HTML, CSS, JS,
  fonts, ...) and the number of requests: at most 250 KB;
- Lighthouse (npm; Debian's Chromium) performance, mobile preset (median of 3),
  and accessibility of those pages: at least 98 and 100;
- each language's offline download: at most 1 MB;
- lesson 6's code as a reader runs it (training a GPT on the CPU, and its exercise):
  at most 30 s, and under 1 GB of memory at its peak;
- the whole test suite (`pytest`, as CI runs it): under 6 minutes.
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
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402

LANGUAGES = [p.name for p in sorted((ROOT / "docs").iterdir()) if p.is_dir() and p.name != "assets"]
CHROMIUM = shutil.which("chromium")
RESULTS = ROOT / "bench" / "results.json"
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


def lighthouse(url: str, runs: int = 3) -> dict:
    """Lighthouse's scores: its mobile preset (a mid-range phone on slow 4G), the
    median of `runs`, with what costs most; and its desktop preset, once."""
    def run(*preset):
        out = subprocess.run(
            ["npx", "--no-install", "lighthouse", url, "--quiet", "--output=json",
             "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}", *preset],
            cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, check=True,
        ).stdout
        return json.loads(out)

    mobile = sorted((run() for _ in range(runs)), key=lambda r: r["categories"]["performance"]["score"])
    median = mobile[len(mobile) // 2]
    audits = median["audits"]
    return {
        "performance_mobile": round(median["categories"]["performance"]["score"] * 100),
        "performance_mobile_runs": [round(r["categories"]["performance"]["score"] * 100) for r in mobile],
        "mobile_fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "mobile_tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "mobile_main_thread": {i["group"]: round(i["duration"]) for i in audits["mainthread-work-breakdown"]["details"]["items"]},
        "performance_desktop": round(run("--preset=desktop")["categories"]["performance"]["score"] * 100),
        "accessibility": round(median["categories"]["accessibility"]["score"] * 100),
    }


def pages() -> list[str]:
    """Every page of the navigation (home and lessons, from mkdocs.yml), as built."""
    return [entry.replace(".md", ".html") for entry in build_site.site_config()["nav"] if entry != "glossary.md"]


# What a reader's Python does with every snippet, and nothing more: one process,
# one `import torch`, each snippet run in a folder holding its lesson's data files
# (as the tests run it: what it writes, a saved model, lands there), its prints discarded.
PLAIN_RUN = """
import contextlib, io, os, runpy, shutil, tempfile, torch
from pathlib import Path
root = Path.cwd()
for snippet in sorted(root.glob("snippets/*/*.py")):
    with tempfile.TemporaryDirectory() as folder:
        for data in snippet.parent.iterdir():
            if data.is_file() and data.suffix != ".py":
                shutil.copy(data, folder)
        os.chdir(folder)
        with contextlib.redirect_stdout(io.StringIO()):
            runpy.run_path(str(snippet), run_name="__main__")
        os.chdir(root)
"""


def snippet_ratio(pairs: int = 5) -> dict:
    """The snippet tests' wall time over one plain Python process that runs every
    snippet (the runner's own cost), and what the snippets cost beyond a bare
    `import torch`: the three timed one after the other in each pair (the
    machine's load changes them alike), medians of `pairs`."""
    bare, plain, tests = [], [], []
    for _ in range(pairs):
        bare.append(wall_time([sys.executable, "-c", "import torch"], runs=1))
        plain.append(wall_time([sys.executable, "-c", PLAIN_RUN], runs=1))
        tests.append(wall_time([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_snippets.py",
                                "--device=cpu", "-k", "test_snippet["], runs=1))
    return {"import_torch_s": round(statistics.median(bare), 2), "plain_run_s": round(statistics.median(plain), 2),
            "snippet_tests_s": round(statistics.median(tests), 2),
            "snippets_beyond_import_s": round(statistics.median(p - b for p, b in zip(plain, bare)), 2),
            "runner_ratio": round(statistics.median(t / p for t, p in zip(tests, plain)), 2)}


# Lesson 6's code as a reader runs it: the whole file (training, and the exercise
# that trains again), in a folder holding its data; its own peak memory, reported
# by the process itself.
READER_RUN = """
import resource, runpy, sys
runpy.run_path("train_gpt.py", run_name="__main__")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)  # KiB on Linux
"""


def training_run() -> dict:
    lesson = ROOT / "snippets" / "pretraining"
    with tempfile.TemporaryDirectory() as folder:
        for path in lesson.iterdir():
            if path.is_file():
                shutil.copy(path, folder)
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", READER_RUN], cwd=folder, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - start
    return {"training_s": round(wall, 1), "training_peak_mb": round(int(run.stderr.split()[-1]) / 1024)}


def main() -> None:
    if not CHROMIUM:
        sys.exit("needs chromium on PATH (apt-get install chromium)")
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build = [sys.executable, "tools/build_site.py", "--site-dir", str(site)]
        results["build_s"] = round(wall_time(build), 2)
        built_pages = len([p for p in (site / "en").rglob("*.html") if p.name != "404.html"])
        results["build_s_per_page_per_language"] = round(results["build_s"] / built_pages / len(LANGUAGES), 3)
        results |= snippet_ratio()
        results |= training_run()
        start = time.perf_counter()
        suite = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto", "--dist", "loadgroup"], cwd=ROOT,
                               env={**os.environ, "CI": "true"}, capture_output=True, text=True)
        results["test_suite"] = {"s": round(time.perf_counter() - start), "summary": suite.stdout.strip().splitlines()[-1].strip("= ")}
        offline = build_site.site_config()["extra"]["offline_zip"]  # the site's zip; each notebook has its own
        results["downloads_kb"] = {lang: round((site / lang / f"{offline}-{lang}.zip").stat().st_size / 1000) for lang in LANGUAGES}
        url, nav_pages = serve(site), pages()
        results["pages"] = {
            f"{lang}/{page}": {**page_weight(f"{url}/{lang}/{page}"), **lighthouse(f"{url}/{lang}/{page}")}
            for lang in LANGUAGES for page in nav_pages
        }

    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)


def span(values) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}–{high}"


def print_table(results: dict) -> None:
    """The README's table: one row a measure, one row a language for its pages
    (each page's figures are in results.json)."""
    print("| measure | value | target |\n| --- | --- | --- |")
    print(f"| build, all {len(LANGUAGES)} languages | {results['build_s']} s ({results['build_s_per_page_per_language']} s a page a language) | ≤ 0.6 s a page a language |")
    print(f"| snippet tests (CPU) / one plain Python process running every snippet, median of 5 | {results['snippet_tests_s']} s / "
          f"{results['plain_run_s']} s = {results['runner_ratio']}× | ≤ 1.10× |")
    print(f"| what the snippets cost beyond `import torch` ({results['import_torch_s']} s) | {results['snippets_beyond_import_s']} s | (reported) |")
    print(f"| lesson 6 run as a reader runs it (`python train_gpt.py`: 500 steps, and the dropout exercise's 300) | {results['training_s']} s, "
          f"peak memory {results['training_peak_mb']} MB | ≤ 30 s, < 1,000 MB |")
    print(f"| whole test suite (`pytest -n auto --dist loadgroup`, CI=true) | {results['test_suite']['s']} s ({results['test_suite']['summary']}) | < 360 s |")
    print(f"| offline download per language | {', '.join(f'{k} {v} KB' for k, v in results['downloads_kb'].items())} | ≤ 1,000 KB |")
    for lang in LANGUAGES:
        pages_ = {name.split("/")[1]: page for name, page in results["pages"].items() if name.startswith(f"{lang}/")}
        under = [f"{name} {page['performance_mobile']}" for name, page in pages_.items() if page["performance_mobile"] < 98]
        print(
            f"| `{lang}`, {len(pages_)} pages, first load | {span([round(p['transferred_bytes'] / 1000) for p in pages_.values()])} KB transferred, "
            f"{span([p['requests'] for p in pages_.values()])} requests; Lighthouse mobile {span([p['performance_mobile'] for p in pages_.values()])} "
            f"(medians of 3{'; under 98: ' + ', '.join(under) if under else ''}), desktop {span([p['performance_desktop'] for p in pages_.values()])}, "
            f"accessibility {span([p['accessibility'] for p in pages_.values()])} | ≤ 250 KB; mobile ≥ 98, accessibility 100 |"
        )


if __name__ == "__main__":
    if sys.argv[1:] == ["--table"]:
        print_table(json.loads(RESULTS.read_text(encoding="utf-8")))
    else:
        main()
