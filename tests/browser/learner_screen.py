#!/usr/bin/python3
"""A learner's screen, tested in a real browser.

Serves the lessons with Jupyter's classic front end (Debian's jupyter-notebook 6.4) on 127.0.0.1 with a token and a free
port, from notebooks/ (the kernels run in the notebook's folder), with the .NET Interactive Jupyter kernel (.net-csharp,
`dotnet interactive jupyter install`). Headless Chromium, driven through selenium, opens each lesson and runs its code
cells one by one as a learner does: click the cell, Shift+Enter, wait until the prompt shows a number and the kernel is
idle. Then it asserts in the page:

- no error shows (no .output_error; no stderr output that says "Error");
- every picture the kernel sent is an <img> that loaded (non-empty src, naturalWidth > 0);
- every Plotly figure became an interactive plot (.js-plotly-plot with its SVG), with plotly.js from the page itself
  (NOTEBOOKSTYLE_PLOTLY=inline: embedded from Plotly.NET) and no request leaving the machine (no CDN);
- a live display (a cell that calls LiveProgress.Show) updated its outputs in place: several update_display_data
  messages, the pictures in it changed, and its number of output areas never grew beyond what it ends with.

The lessons on disk are never written (tests/browser/readonly_contents.py). A full-page screenshot of every lesson goes
to OUT/<lesson>.png, a screenshot of the failing cell to OUT/<lesson>-failed.png. Prints one PASS or FAIL line per lesson
and exits 1 if any failed. Every wait is bounded; the server, its kernels and the browser are always stopped.

    /usr/bin/python3 tests/browser/learner_screen.py --quick notebooks/00-setup.ipynb notebooks/02-feature-maps.ipynb
"""
import argparse
import base64
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
MARKER = "NOTEBOOKSTYLE_BROWSER_RUN"  # set in every process this run starts, so that cleanup finds exactly those
LIVE_MARKER = "LiveProgress.Show"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


class LessonFailure(Exception):
    """A check failed; the message says which cell and what."""


def log(msg):
    print(msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """jupyter-notebook on 127.0.0.1, serving notebooks/ read-only."""

    def __init__(self, env, out, root=NOTEBOOKS):
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(out, "jupyter.log")
        self.runtime = tempfile.mkdtemp(prefix="nbstyle-jupyter-")
        env = dict(env)
        env["PYTHONPATH"] = HERE + os.pathsep + env.get("PYTHONPATH", "")
        env["JUPYTER_RUNTIME_DIR"] = self.runtime
        cmd = [sys.executable, "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
               f"--NotebookApp.token={self.token}", f"--NotebookApp.notebook_dir={root}",
               "--NotebookApp.contents_manager_class=readonly_contents.ReadOnlyContentsManager",
               "--NotebookApp.open_browser=False", "--MappingKernelManager.cull_idle_timeout=0"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")  # CI runs as root
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def api(self, method, path, timeout=10):
        req = urllib.request.Request(f"{self.base}{path}", method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
            return json.loads(body) if body else None

    def wait_ready(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise LessonFailure(f"jupyter-notebook exited with {self.proc.returncode} at start: {tail(self.log_path)}")
            try:
                self.api("GET", "/api/status", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise LessonFailure(f"jupyter-notebook did not answer on {self.base} within {seconds} s: {tail(self.log_path)}")

    def shutdown_kernels(self):
        try:
            for k in self.api("GET", "/api/kernels") or []:
                try:
                    self.api("DELETE", f"/api/kernels/{k['id']}", timeout=20)
                except Exception:  # noqa: BLE001 - cleanup goes on
                    pass
        except Exception:  # noqa: BLE001
            pass

    def stop(self):
        self.shutdown_kernels()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # the notebook server asks to confirm on the first SIGINT
            time.sleep(0.2)
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()
        shutil.rmtree(self.runtime, ignore_errors=True)


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            return "\n" + "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def kill_marked(token):
    """Kills every process that still carries this run's marker (kernels, chromium, chromedriver), by pid."""
    me = os.getpid()
    needle = f"{MARKER}={token}".encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                if needle in f.read().split(b"\0"):
                    os.kill(int(pid), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


def start_browser(out):
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="nbstyle-chromium-")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                 "--window-size=1280,1000",
                 # Anything but loopback fails at once (and is recorded below) instead of hanging on this closed network.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    service = Service(executable_path="/usr/bin/chromedriver", log_path=os.path.join(out, "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.profile = profile
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


# --- page helpers ---------------------------------------------------------------------------------------------------

HOOKS = r"""
// Count the in-place updates the kernel sends (update_display_data, before the page routes them) and those the page
// applied to an output it had shown (output_updated): a front end drops an update whose display_id it never saw.
if (!window.__nbs) {
  window.__nbs = { updates: 0, applied: 0 };
  var kernel = Jupyter.notebook.kernel;
  var route = kernel.get_iopub_handler('update_display_data');
  kernel.register_iopub_handler('update_display_data', function (msg) { window.__nbs.updates++; return route(msg); });
  Jupyter.notebook.events.on('output_updated.OutputArea', function () { window.__nbs.applied++; });
}
Jupyter.notebook.set_autosave_interval(0);
return true;
"""

CELL_STATE = r"""
var i = arguments[0];
var cell = Jupyter.notebook.get_cell(i);
var el = cell.element[0];
var imgs = Array.from(el.querySelectorAll('.output_area img')).map(function (m) { return m.src.length + ':' + m.src.slice(-64); });
var idle = document.querySelector('#kernel_indicator_icon');
return {
  prompt: cell.input_prompt_number === undefined ? null : String(cell.input_prompt_number),
  idle: !!(idle && idle.classList.contains('kernel_idle_icon')),
  outputs: el.querySelectorAll('.output_area').length,
  updates: window.__nbs.updates,
  applied: window.__nbs.applied,
  imgs: imgs,
  text: Array.from(el.querySelectorAll('.output_area')).map(function (a) { return a.innerText.slice(0, 200); }).join('|')
};
"""

ERRORS = r"""
var found = [];
Jupyter.notebook.get_cells().forEach(function (cell, i) {
  cell.element[0].querySelectorAll('.output_error').forEach(function (e) { found.push([i, 'error output: ' + e.innerText.slice(0, 400)]); });
  cell.element[0].querySelectorAll('.output_stderr').forEach(function (e) {
    if (/error/i.test(e.innerText)) found.push([i, 'stderr: ' + e.innerText.slice(0, 400)]);
  });
});
return found;
"""

PICTURES = r"""
var expected = 0;
Jupyter.notebook.get_cells().forEach(function (cell) {
  (cell.output_area ? cell.output_area.outputs : []).forEach(function (o) {
    var d = o.data || {};
    if (d['image/png'] || d['image/jpeg']) expected++;
    else if (typeof d['text/html'] === 'string' || Array.isArray(d['text/html'])) {
      var html = [].concat(d['text/html']).join('');
      expected += (html.match(/<img\b/g) || []).length;
    }
  });
});
var imgs = Array.from(document.querySelectorAll('#notebook-container .output_area img'));
var bad = imgs.filter(function (m) { return !m.getAttribute('src') || !m.complete || m.naturalWidth === 0; })
              .map(function (m) { return (m.getAttribute('alt') || '(no alt)') + ' src=' + (m.getAttribute('src') || '').slice(0, 40); });
return { expected: expected, shown: imgs.length, bad: bad };
"""

PLOTS = r"""
var figures = Array.from(document.querySelectorAll('#notebook-container .nbstyle-figure'));
var wanted = figures.filter(function (f) { return f.querySelector('div[id^="nbstyle-"]'); });
var drawn = wanted.filter(function (f) {
  var d = f.querySelector('div[id^="nbstyle-"]');
  return d.classList.contains('js-plotly-plot') && d.querySelector('.main-svg') && d.style.display !== 'none' && d.offsetHeight > 0;
});
var other = document.querySelectorAll('#notebook-container .output_area .js-plotly-plot, #notebook-container .output_area .plotly-graph-div').length;
return { figures: figures.length, wanted: wanted.length, drawn: drawn.length, plotly: !!window.Plotly,
         version: window.Plotly ? window.Plotly.version : null, allPlots: other };
"""


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def network_requests(driver):
    """URLs the page asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if msg.get("method") == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
        elif msg.get("method") == "Network.webSocketCreated":
            urls.append(msg["params"]["url"])
    return urls


def own_addresses():
    """This machine's addresses: the .NET kernel's in-page helpers probe its HTTP port on each of them (loopback first)."""
    found = set(LOOPBACK)
    try:
        found.update(subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout.split())
    except (OSError, subprocess.SubprocessError):
        pass
    return found


def off_machine(urls):
    """Requests that left this machine (a CDN, anything remote); the machine's own addresses are not such."""
    local = own_addresses()
    bad = []
    for u in urls:
        p = urllib.parse.urlsplit(u)
        host = (p.hostname or "").split("%")[0]
        if p.scheme in ("http", "https", "ws", "wss") and host not in local and not host.startswith("fe80:"):
            bad.append(u)
    return bad


def screenshot_full(driver, path, max_height=24000):
    """The whole notebook (classic Jupyter scrolls inside #site, not the page), as one PNG."""
    js(driver, "var s = document.getElementById('site'); if (s) { s.style.height = 'auto'; s.style.overflow = 'visible'; }"
               "document.body.style.overflow = 'visible'; document.body.style.position = 'static';")
    height = min(max_height, int(js(driver, "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);")))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False})
    try:
        time.sleep(0.5)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def first_line(source):
    for line in source.splitlines():
        if line.strip() and not line.strip().startswith("using "):
            return line.strip()[:80]
    return source.strip()[:80]


# --- one lesson -----------------------------------------------------------------------------------------------------

def run_lesson(driver, server, path, args):
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    cells = nb["cells"]
    started = time.time()
    network_requests(driver)  # drop what came before
    driver.get(f"{server.base}/notebooks/{urllib.parse.quote(name)}?token={server.token}")
    wait_for(lambda: js(driver, "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel "
                                "&& Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'));"),
             args.kernel_timeout, f"{name}: the page or its .NET kernel did not become ready within {args.kernel_timeout} s")
    js(driver, HOOKS)
    if js(driver, "return Jupyter.notebook.ncells();") != len(cells):
        raise LessonFailure(f"{name}: the page shows {js(driver, 'return Jupyter.notebook.ncells();')} cells, the file has {len(cells)}")

    stats = {"lesson": stem, "code_cells": 0, "live_cells": []}
    requests = []
    problems = []  # what failed; the run goes on to the end, as a learner's would, so that every check runs
    code_cells = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    for i in code_cells:
        source = "".join(cells[i]["source"])
        what = f"{name} cell {i} ({first_line(source)})"
        before = js(driver, CELL_STATE, i)
        # As a learner does: click into the cell, Shift+Enter.
        inp = driver.find_elements(By.CSS_SELECTOR, "#notebook-container .cell")[i].find_element(By.CSS_SELECTOR, ".input_area")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", inp)
        inp.click()
        if js(driver, "return Jupyter.notebook.get_selected_index();") != i:
            js(driver, "Jupyter.notebook.select(arguments[0]); Jupyter.notebook.edit_mode();", i)
        ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        t0 = time.time()
        samples = []
        while True:
            s = js(driver, CELL_STATE, i)
            samples.append(s)
            if s["prompt"] not in (None, "*", "", "null") and s["idle"]:
                break
            if time.time() - t0 > args.cell_timeout:
                raise LessonFailure(f"{what}: still running after {args.cell_timeout} s (prompt {s['prompt']!r})")
            time.sleep(0.25)
        stats["code_cells"] += 1
        requests += network_requests(driver)
        errors = [e for e in js(driver, ERRORS) if e[0] == i]
        if errors:
            problems.append(f"{what}: {errors[0][1]}")
        if LIVE_MARKER in source:
            try:
                stats["live_cells"].append(check_live(what, before, samples))
            except LessonFailure as e:
                problems.append(str(e))
                stats["live_cells"].append({"failed": str(e)})
        if args.verbose:
            log(f"  {i:2d} {time.time() - t0:6.1f} s  {first_line(source)}")

    # Interactive charts are drawn by a script after the output arrives: give them a bounded moment.
    deadline = time.time() + 30
    while True:
        plots = js(driver, PLOTS)
        if plots["drawn"] == plots["wanted"] or time.time() > deadline:
            break
        time.sleep(0.5)
    if args.plotly == "inline":
        if plots["wanted"] and not plots["plotly"]:
            problems.append(f"{name}: plotly.js never arrived in the page (window.Plotly undefined) for {plots['wanted']} figures")
        elif plots["drawn"] != plots["wanted"]:
            problems.append(f"{name}: {plots['wanted'] - plots['drawn']} of {plots['wanted']} Plotly figures stayed static pictures")
    pictures = js(driver, PICTURES)
    if pictures["bad"]:
        problems.append(f"{name}: {len(pictures['bad'])} pictures did not render, e.g. {pictures['bad'][0]}")
    if pictures["shown"] < pictures["expected"]:
        problems.append(f"{name}: the kernel sent {pictures['expected']} pictures, the page shows {pictures['shown']}")
    if not stem.startswith("00") and pictures["shown"] == 0:
        problems.append(f"{name}: no picture at all")
    if LIVE_MARKER in json.dumps(nb) and not stats["live_cells"]:
        problems.append(f"{name}: no live display was checked")
    requests += network_requests(driver)
    leaving = off_machine(requests)
    if leaving:
        problems.append(f"{name}: the page asked for {len(leaving)} things off this machine, e.g. {leaving[0]}")
    screenshot_full(driver, os.path.join(args.out, f"{stem}.png"))
    console = [e for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "WARNING")]
    with open(os.path.join(args.out, f"{stem}.console.json"), "w") as f:
        json.dump(console, f, indent=1)
    stats.update(pictures=pictures["shown"], plotly_figures=plots["drawn"], plotly_version=plots["version"], requests=len(requests),
                 seconds=round(time.time() - started, 1))
    if problems:
        raise LessonFailure(f"{len(problems)} problem(s): " + " | ".join(problems))
    return stats


def check_live(what, before, samples):
    """A live display replaces its outputs: many updates, changing pictures, no growing list of outputs."""
    updates = samples[-1]["updates"] - before["updates"]
    applied = samples[-1]["applied"] - before["applied"]
    final = samples[-1]["outputs"]
    most = max(s["outputs"] for s in samples)
    pictures = {tuple(s["imgs"]) for s in samples if s["imgs"]}
    texts = {s["text"] for s in samples if s["text"]}
    if updates < 3:
        raise LessonFailure(f"{what}: the kernel sent {updates} in-place updates (update_display_data) for the live display (expected several)")
    if applied < updates:
        raise LessonFailure(f"{what}: the kernel sent {updates} in-place updates, the page applied {applied}: their display_id matches no "
                            f"output the page was shown, so the live display stays at its first state")
    if most > final:
        raise LessonFailure(f"{what}: the live display grew to {most} outputs and ended with {final}: outputs were appended, then cleared")
    if final >= updates:
        raise LessonFailure(f"{what}: {final} output areas for {updates} updates: the updates were appended, not replaced")
    if len(pictures) < 2 or len(texts) < 2:
        raise LessonFailure(f"{what}: the live display did not change while it ran ({len(pictures)} picture states, {len(texts)} text states over {len(samples)} samples)")
    return {"updates": updates, "outputs": final, "picture_states": len(pictures), "text_states": len(texts), "samples": len(samples)}


def wait_for(condition, seconds, message):
    deadline = time.time() + seconds
    last = None
    while time.time() < deadline:
        try:
            if condition():
                return
        except WebDriverException as e:  # page still loading
            last = e
        time.sleep(0.5)
    raise LessonFailure(message + (f" (last error: {last.msg})" if last else ""))


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("lessons", nargs="*", help="notebooks/NN-name.ipynb")
    p.add_argument("--self-test", action="store_true",
                   help="prove the live-display check on Python notebooks: one that updates in place must pass, one that appends must fail")
    p.add_argument("--quick", action="store_true", help="NOTEBOOKSTYLE_QUICK=1 (CI's sizes)")
    p.add_argument("--out", default=os.path.join(ROOT, "out", "browser"))
    p.add_argument("--cell-timeout", type=float, default=600, help="seconds one cell may run")
    p.add_argument("--kernel-timeout", type=float, default=180, help="seconds for the page and its kernel to be ready")
    p.add_argument("--verbose", action="store_true", help="one line per cell with its time")
    args = p.parse_args()
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    if args.self_test:
        return self_test(args)
    if not args.lessons:
        p.error("name at least one lesson")
    lessons = [os.path.abspath(l) for l in args.lessons]
    for l in lessons:
        if os.path.dirname(l) != NOTEBOOKS or not os.path.isfile(l):
            log(f"FAIL {os.path.basename(l)} (browser): not a lesson in {NOTEBOOKS}")
            return 2
    token = secrets.token_hex(8)
    env = dict(os.environ)
    env[MARKER] = token
    os.environ[MARKER] = token  # chromedriver and chromium inherit it from this process
    if args.quick:
        env["NOTEBOOKSTYLE_QUICK"] = "1"
    env.setdefault("NOTEBOOKSTYLE_PLOTLY", "inline")
    args.plotly = env["NOTEBOOKSTYLE_PLOTLY"].strip().lower()
    shared = os.path.join(os.path.dirname(ROOT), "shared", "images")
    if not env.get("NOTEBOOKSTYLE_IMAGES") and os.path.isdir(shared):
        env["NOTEBOOKSTYLE_IMAGES"] = shared
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))

    before = {l: digest(l) for l in lessons}
    server = driver = None
    results, failed = [], 0
    try:
        server = Server(env, args.out)
        server.wait_ready(60)
        driver = start_browser(args.out)
        for l in lessons:
            name = os.path.basename(l)
            t0 = time.time()
            try:
                stats = run_lesson(driver, server, l, args)
                live = "".join(f", live display: {c['updates']} updates in {c['outputs']} outputs" for c in stats["live_cells"] if "updates" in c)
                log(f"PASS {name} (browser): {stats['code_cells']} cells, {stats['pictures']} pictures, "
                    f"{stats['plotly_figures']} interactive charts{live}, {stats['seconds']:.0f} s")
                results.append(stats)
            except (LessonFailure, WebDriverException) as e:
                failed += 1
                msg = e.msg if isinstance(e, WebDriverException) else str(e)
                log(f"FAIL {name} (browser): {msg} [{time.time() - t0:.0f} s]")
                results.append({"lesson": name, "failure": msg})
                try:
                    driver.save_screenshot(os.path.join(args.out, f"{os.path.splitext(name)[0]}-failed.png"))
                    screenshot_full(driver, os.path.join(args.out, f"{os.path.splitext(name)[0]}-failed-page.png"))
                except WebDriverException:
                    pass
            server.shutdown_kernels()
    except KeyboardInterrupt:
        log("FAIL browser test: interrupted")
        failed += 1
    except Exception as e:  # noqa: BLE001 - the run must report and clean up whatever went wrong
        log(f"FAIL browser test: {type(e).__name__}: {e}")
        traceback.print_exc()
        failed += 1
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:  # noqa: BLE001
                pass
            shutil.rmtree(driver.profile, ignore_errors=True)
        if server is not None:
            server.stop()
        kill_marked(token)
    for l in lessons:
        if digest(l) != before[l]:
            log(f"FAIL {os.path.basename(l)} (browser): the lesson file changed on disk during the run")
            failed += 1
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(results, f, indent=1)
    return 1 if failed else 0


# --- self-test of the checks ----------------------------------------------------------------------------------------

SELF_TEST_CELL = r"""# LiveProgress.Show -- the browser test's marker: this cell is a live display
import struct, time, zlib
from IPython.display import Image, display

def png(shade):  # a 16x16 grey PNG, no imaging library needed
    raw = b"".join(b"\x00" + bytes([shade]) * 16 for _ in range(16))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")

IN_PLACE = {in_place}
status = display("iteration 0", display_id=True)
picture = display(Image(data=png(0)), display_id=True)
for i in range(1, 9):
    time.sleep(0.5)
    if IN_PLACE:
        status.update(f"iteration {{i}}")
        picture.update(Image(data=png(30 * i)))
    else:
        display(f"iteration {{i}}")
        display(Image(data=png(30 * i)))
"""


def self_test(args):
    """The live-display check passes on a display updated in place and fails on one that appends (Python kernel)."""
    root = tempfile.mkdtemp(prefix="nbstyle-selftest-")
    for name, in_place in (("in-place.ipynb", True), ("appending.ipynb", False)):
        nb = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                         "source": SELF_TEST_CELL.format(in_place=in_place)}],
              "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
              "nbformat": 4, "nbformat_minor": 5}
        with open(os.path.join(root, name), "w") as f:
            json.dump(nb, f)
    token = secrets.token_hex(8)
    env = dict(os.environ, PATH="/usr/bin:" + os.environ.get("PATH", ""))  # Debian's python3 has ipykernel
    env[MARKER] = token
    os.environ[MARKER] = token
    args.plotly = "none"
    server = driver = None
    outcome = {}
    try:
        server = Server(env, args.out, root=root)
        server.wait_ready(60)
        driver = start_browser(args.out)
        for name in ("in-place.ipynb", "appending.ipynb"):
            try:
                run_lesson(driver, server, os.path.join(root, name), args)
                outcome[name] = "passed"
            except LessonFailure as e:
                outcome[name] = f"failed: {e}"
            server.shutdown_kernels()
    finally:
        if driver is not None:
            driver.quit()
            shutil.rmtree(driver.profile, ignore_errors=True)
        if server is not None:
            server.stop()
        kill_marked(token)
        shutil.rmtree(root, ignore_errors=True)
    ok = outcome.get("in-place.ipynb") == "passed" and "live display" in outcome.get("appending.ipynb", "") \
        and outcome.get("appending.ipynb", "").startswith("failed")
    for name, what in outcome.items():
        log(f"  {name}: {what}")
    log(f"{'PASS' if ok else 'FAIL'} browser test self-test: the live-display check passes in place and fails when appending")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
