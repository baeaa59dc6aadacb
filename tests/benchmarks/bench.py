#!/usr/bin/python3
"""NotebookStyle against PyTorch, side by side: runs both runtimes alternately, prints a markdown table, writes JSON.

Started by tests/benchmarks/run.sh (which builds first); standard library only. For every network and size it runs,
round after round, a C# process and a PyTorch process (A B, then B A: A B B A A B ...) for L-BFGS and for Adam, each on
the same problem files (weights and images written once by the C# side). Every process pins its threads the same way and
reports its own timings, losses, peak RSS (VmHWM) and a convolution-throughput probe. A measurement's figure is the median
of its processes' medians, shown with their spread (min-max, and the largest deviation from the median in %); a spread
above --spread-limit (15%) is flagged in the table and, with --rerun N, the measurement is run again up to N times (the
attempt with the smallest spread is kept, every attempt's spread is reported). Then the C# side runs the multi-scale
comparison through the library's driver. See tests/benchmarks/README.md for what each column means.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PYTHON = "/usr/bin/python3"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dll", required=True, help="the built NotebookStyle.Benchmarks.dll")
    ap.add_argument("--quick", action="store_true", help="smoke run: small sizes, few evaluations, one round")
    ap.add_argument("--networks", default="vgg19,resnet18")
    ap.add_argument("--sizes", default=None, help="long sides in pixels (default 256,512; --quick: 128)")
    ap.add_argument("--rounds", type=int, default=None,
                    help="rounds per L-BFGS measurement, one process of each runtime per round, order alternating (default 5; --quick: 2)")
    ap.add_argument("--adam-rounds", type=int, default=None, help="rounds per Adam measurement (default 2; --quick: 1)")
    ap.add_argument("--spread-limit", type=float, default=15.0,
                    help="percent: a measurement whose processes' medians lie further than this from their median is flagged")
    ap.add_argument("--rerun", type=int, default=0,
                    help="run a flagged measurement again up to N times and keep the attempt with the smallest spread (default 0)")
    ap.add_argument("--evals", type=int, default=None, help="L-BFGS evaluations and Adam steps per process (default 50; --quick: 8)")
    ap.add_argument("--warmup", type=int, default=2, help="evaluations per process left out of the timing")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="torch/OpenMP/BLAS threads in both runtimes")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="where both runtimes run the problems (default cpu)")
    ap.add_argument("--memory", default=None, choices=["rss", "gpu"],
                    help="memory columns: process RSS or GPU memory (default: gpu with --device cuda, else rss)")
    ap.add_argument("--no-peer", action="store_true", help="NotebookStyle only (no PyTorch with this device at hand)")
    ap.add_argument("--peer-python", default=PYTHON, help=f"the Python with torch that runs peer.py (default {PYTHON})")
    ap.add_argument("--no-adam", action="store_true")
    ap.add_argument("--no-multiscale", action="store_true")
    ap.add_argument("--no-breakdown", action="store_true", help="skip timing forward, losses and backward apart")
    ap.add_argument("--ms-size", type=int, default=None, help="size of the multi-scale comparison (default: largest size)")
    ap.add_argument("--ms-iterations", type=int, default=None, help="single-scale L-BFGS iterations (default 100; --quick: 6)")
    ap.add_argument("--ms-coarse-iterations", type=int, default=None, help="iterations at each coarser scale (default 50; --quick: 6)")
    ap.add_argument("--ms-scales", default="2,3")
    ap.add_argument("--images", default=None, help="folder with golden_gate.jpg and starry_night.jpg (default ../shared/images)")
    ap.add_argument("--content", default="golden_gate.jpg")
    ap.add_argument("--style", default="starry_night.jpg")
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "benchmarks"))
    ap.add_argument("--timeout", type=int, default=3600, help="seconds allowed to one process")
    ap.add_argument("--readme", action="store_true",
                    help="also put the tables into README.md's performance section (between its benchmark markers; "
                         "the section is added at the end when missing)")
    a = ap.parse_args()
    q = a.quick
    a.sizes = [int(s) for s in (a.sizes or ("128" if q else "256,512")).split(",")]
    a.networks = [n.strip() for n in a.networks.split(",") if n.strip()]
    a.rounds = a.rounds or (2 if q else 5)
    a.adam_rounds = a.adam_rounds or (1 if q else min(2, a.rounds))
    a.evals = a.evals or (8 if q else 50)
    a.ms_size = a.ms_size or max(a.sizes)
    a.memory = a.memory or ("gpu" if a.device == "cuda" else "rss")
    a.runtimes = ("cs",) if a.no_peer else ("cs", "py")
    a.ms_iterations = a.ms_iterations or (6 if q else 100)
    a.ms_coarse_iterations = a.ms_coarse_iterations or (6 if q else 50)
    if a.images is None:
        shared = os.environ.get("NOTEBOOKSTYLE_SHARED") or os.path.join(ROOT, "..", "shared")
        a.images = os.path.join(shared, "images")
    return a


# ---------------------------------------------------------------- running processes

class Runner:
    def __init__(self, a, folder):
        self.a = a
        self.raw = os.path.join(folder, "raw")
        self.logs = os.path.join(folder, "logs")
        os.makedirs(self.raw, exist_ok=True)
        os.makedirs(self.logs, exist_ok=True)
        t = str(a.threads)
        # Both runtimes: the same intra-op threads (set again in-process with torch.set_num_threads), one BLAS/OMP pool size.
        self.env = dict(os.environ, OMP_NUM_THREADS=t, MKL_NUM_THREADS=t, OPENBLAS_NUM_THREADS=t,
                        DOTNET_gcServer="0", DOTNET_TieredPGO="1", PYTHONHASHSEED="0")
        self.count = 0

    def run(self, runtime, mode, problem, name, extra=()):
        self.count += 1
        out = os.path.join(self.raw, f"{self.count:03d}-{name}-{runtime}-{mode}.json")
        log = os.path.join(self.logs, f"{self.count:03d}-{name}-{runtime}-{mode}.log")
        common = ["--problem", problem, "--json", out, "--threads", str(self.a.threads), "--device", self.a.device, *extra]
        if runtime == "cs":
            cmd = ["dotnet", self.a.dll, mode, *common]
        else:
            cmd = [self.a.peer_python, os.path.join(HERE, "peer.py"), mode, *common]
        load_before = loadavg()
        t0 = time.perf_counter()
        with open(log, "w") as f:
            code, maxrss_kb, minflt = run_measured(cmd, self.env, f, self.a.timeout)
        wall = time.perf_counter() - t0
        if code != 0:
            tail = open(log).read()[-3000:]
            raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}:\n{tail}")
        with open(out) as f:
            r = json.load(f)
        r["process_wall_s"] = wall
        # The kernel's peak resident set of the process from start to exit (what /usr/bin/time's %M shows).
        r["os_max_rss_kb"] = maxrss_kb
        # Minor page faults of the whole process (pages mapped in fresh: first touches and re-touches after an unmap).
        r["os_minor_faults"] = minflt
        r["loadavg_before"], r["loadavg_after"] = load_before, loadavg()
        with open(out, "w") as f:
            json.dump(r, f, indent=1)
        print(f"  {name:>13} {runtime:>2} {mode:<10} {wall:6.1f} s  load {load_before:.2f}", file=sys.stderr, flush=True)
        return r


def run_measured(cmd, env, log, timeout):
    """Runs cmd to its end; returns its exit code, its peak RSS in kB and its minor page faults from wait4's rusage (the
    child's own, as /usr/bin/time reports them). Killed after timeout seconds."""
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    timer = threading.Timer(timeout, p.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, usage.ru_maxrss, usage.ru_minflt  # kB on Linux


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def loadavg3():
    """The 1, 5 and 15 minute load averages."""
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(a):
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    props = open(os.path.join(ROOT, "Directory.Packages.props")).read()
    version = lambda pkg: (re.search(rf'Include="{re.escape(pkg)}" Version="([^"]+)"', props) or [None, None])[1]
    torch_info = "" if a.no_peer else sh([a.peer_python, "-c", "import torch, numpy; print(torch.__version__, numpy.__version__); print(torch.__config__.show())"])
    # The kernels each runtime can pick on this processor: the C# side reports through its `machine` command (the
    # library's MachineReport), the peer through torch.backends.
    cs_kernels = sh(["dotnet", a.dll, "machine", "--threads", str(a.threads)])
    py_kernels = "" if a.no_peer else sh([a.peer_python, "-c", "import torch; print('oneDNN', 'available' if torch.backends.mkldnn.is_available() else 'unavailable', "
                                          "'NNPACK', 'available' if torch._nnpack_available() else 'unavailable')"])
    flags = next((l.split(":", 1)[1].split() for l in open("/proc/cpuinfo") if l.startswith("flags")), [])
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": platform.node(), "cpu": cpu, "logical_cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1),
        "kernel": platform.release(), "os": sh(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "device": a.device, "gpu": sh(["sh", "-c", "nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1"]) or None,
        "threads": a.threads, "env": {k: str(a.threads) for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
        "dotnet": sh(["dotnet", "--version"]),
        "torchsharp": version("TorchSharp"), "libtorch": version("libtorch-cpu-linux-x64"),
        "python_torch": torch_info.splitlines()[0] if torch_info else None,
        "python_torch_deb": sh(["dpkg-query", "-W", "-f", "${Version}", "python3-torch"]),
        "openblas_deb": sh(["dpkg-query", "-W", "-f", "${Version}", "libopenblas0-pthread"]),
        "libblas_alternative": next((l.split(":", 1)[1].strip() for l in sh(["update-alternatives", "--query", "libblas.so.3-x86_64-linux-gnu"]).splitlines()
                                     if l.startswith("Value:")), None),
        "python_torch_config": torch_info,
        "cpu_features": [f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16") if f in flags],
        "cs_machine": cs_kernels.splitlines()[-1] if cs_kernels else None,
        "py_kernels": py_kernels or None,
    }


# ---------------------------------------------------------------- statistics

def spread(values):
    """Median, min, max, count, and pct: the largest distance of min or max from the median, in % of the median."""
    if not values:
        return None
    med = statistics.median(values)
    pct = 100 * max(med - min(values), max(values) - med) / abs(med) if med else None
    return {"median": med, "min": min(values), "max": max(values), "n": len(values), "pct": pct}


def process_medians(reports, key, warmup):
    """Each process's median of its timed values (the first `warmup` left out)."""
    return [statistics.median(r[key][warmup:]) for r in reports if len(r.get(key, [])) > warmup]


def rel(a, b):
    return None if a is None or b is None or b == 0 else (a - b) / abs(b)


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def summarise(a, network, size, flops_fwd, runs):
    """runs: {(runtime, mode): [reports]} for one problem."""
    s = {"network": network, "size": size, "conv_flops_forward": flops_fwd, "conv_flops_eval": 2 * flops_fwd}
    first = next(iter(runs.values()))[0]
    s["width"], s["height"] = first["width"], first["height"]
    peaks = {}
    for rt in ("cs", "py"):
        lb = runs.get((rt, "lbfgs"), [])
        ad = runs.get((rt, "adam"), [])
        ms = [t for r in lb for t in r["eval_ms"][a.warmup:]]
        steps = [t for r in ad for t in r["step_ms"][a.warmup:]]
        per_process = process_medians(lb, "eval_ms", a.warmup)
        conv = [g for r in lb + ad for g in r["conv_peak_gflops"]]
        peaks[rt] = max(conv) if conv else None
        losses = lb[0]["losses"] if lb else []
        adam_losses = ad[0]["losses"] if ad else []
        cpu = [t for r in lb for t in r.get("eval_cpu_ms", [])[a.warmup:]]
        s[rt] = {
            # The headline: the median of the processes' medians, spread = how far the processes' medians lie apart.
            "eval_ms": spread(per_process),
            "eval_ms_all": spread(ms),
            "eval_cpu_ms": spread(cpu),
            "eval_ms_per_process": per_process,
            "peak_rss_mb": spread([r["peak_rss_kb"] / 1024 for r in lb]),
            "os_max_rss_mb": spread([r["os_max_rss_kb"] / 1024 for r in lb if r.get("os_max_rss_kb")]),
            "run_peak_rss_mb": spread([r["run_peak_rss_kb"] / 1024 for r in lb]),
            "load_rss_mb": spread([r["load_rss_kb"] / 1024 for r in lb]),
            "peak_rss_mb_adam": spread([r["peak_rss_kb"] / 1024 for r in ad]),
            "evaluations": len(losses),
            "first_loss": losses[0] if losses else None,
            "best_loss": min(losses) if losses else None,
            "last_loss": losses[-1] if losses else None,
            "losses_identical_across_rounds": all(r["losses"] == losses for r in lb),
            # GPU memory (device-wide, cudaMemGetInfo) at its highest after an evaluation, above what the process found
            # in use once CUDA had started (its context, anything else on the device); PyTorch's allocator peaks too.
            "gpu_peak_mb": spread([r["gpu_peak_used_mb"] - r["gpu_before_mb"] for r in lb if r.get("gpu_peak_used_mb") is not None]),
            "gpu_context_mb": spread([r["gpu_before_mb"] for r in lb if r.get("gpu_before_mb") is not None]),
            "gpu_max_allocated_mb": spread([r["gpu_max_allocated_mb"] for r in lb if r.get("gpu_max_allocated_mb") is not None]),
            "gpu_max_reserved_mb": spread([r["gpu_max_reserved_mb"] for r in lb if r.get("gpu_max_reserved_mb") is not None]),
            "setup_ms": spread([r["setup_ms"] for r in lb]),
            "adam_step_ms": spread(process_medians(ad, "step_ms", a.warmup)),
            "adam_step_ms_all": spread(steps),
            "adam_last_loss": adam_losses[-1] if adam_losses else None,
            "conv_peak_gflops": spread(conv),
            "threads": sorted({r["threads"] for r in lb + ad}),
            "math_libraries": sorted({lib for r in lb + ad for lib in r.get("math_libraries", [])}),
            "loadavg": spread([r["loadavg_before"] for r in lb + ad] + [r["loadavg_after"] for r in lb + ad]),
            "breakdown_ms": {k: spread([t for r in runs.get((rt, "breakdown"), []) for t in r[k][a.warmup:]])
                             for k in ("forward_ms", "losses_ms", "backward_ms", "total_ms")},
        }
        med = s[rt]["eval_ms"]["median"] if s[rt]["eval_ms"] else None
        s[rt]["gflops"] = 2 * flops_fwd / (med / 1e3) / 1e9 if med else None
        # Each process probes the conv throughput right after its run, under the same conditions (a busy SMT sibling
        # halves both): its achieved GFLOP/s over its own probe's median, then the median over processes.
        per_process = [2 * flops_fwd / (statistics.median(r["eval_ms"][a.warmup:]) / 1e3) / 1e9 / statistics.median(r["conv_peak_gflops"])
                       for r in lb if len(r["eval_ms"]) > a.warmup and r["conv_peak_gflops"]]
        s[rt]["conv_efficiency_same_process"] = statistics.median(per_process) if per_process else None
        # CPU time / (wall time x threads): near 1 on a quiet machine; well below 1 means the threads were kept waiting.
        s[rt]["cpu_utilisation"] = s[rt]["eval_cpu_ms"]["median"] / (med * a.threads) if med and s[rt]["eval_cpu_ms"] else None
    # A peak: the fastest probe of either runtime (a busy machine only ever makes a probe slower).
    known = [p for p in peaks.values() if p]
    s["machine_conv_gflops"] = max(known) if known else None
    for rt in ("cs", "py"):
        s[rt]["conv_efficiency_vs_peak"] = ratio(s[rt]["gflops"], s["machine_conv_gflops"])
        s[rt]["conv_efficiency"] = s[rt]["conv_efficiency_same_process"]
    g = lambda rt, *path: _get(s, rt, *path)
    s["eval_ratio"] = ratio(g("cs", "eval_ms", "median"), g("py", "eval_ms", "median"))
    # Round by round (the two processes of a round ran next to each other): C# over PyTorch.
    pairs = zip(s["cs"]["eval_ms_per_process"], s["py"]["eval_ms_per_process"])
    s["eval_ratio_per_round"] = spread([c / p for c, p in pairs if p])
    # Flagged: a headline whose processes lie further apart than the limit.
    s["wide"] = [f"{label} {rt_name} ±{v['pct']:.0f}%"
                 for label, key in (("ms/eval", "eval_ms"), ("peak RSS", "peak_rss_mb"))
                 for rt, rt_name in (("cs", "C#"), ("py", "PyTorch"))
                 for v in [s[rt][key]] if v and v["pct"] is not None and v["pct"] > a.spread_limit]
    s["max_spread_pct"] = max((v["pct"] for rt in ("cs", "py") for v in [s[rt]["eval_ms"]] if v and v["pct"] is not None), default=0.0)
    s["rss_ratio"] = ratio(g("cs", "peak_rss_mb", "median"), g("py", "peak_rss_mb", "median"))
    s["gpu_ratio"] = ratio(g("cs", "gpu_peak_mb", "median"), g("py", "gpu_peak_mb", "median"))
    s["run_rss_ratio"] = ratio(g("cs", "run_peak_rss_mb", "median"), g("py", "run_peak_rss_mb", "median"))
    s["best_loss_rel_diff"] = rel(g("cs", "best_loss"), g("py", "best_loss"))
    s["first_loss_rel_diff"] = rel(g("cs", "first_loss"), g("py", "first_loss"))
    # How long the two L-BFGS trajectories stay together (|relative difference| <= 1e-4 at every evaluation so far).
    lc, lp = (runs.get((rt, "lbfgs"), [{}])[0].get("losses", []) for rt in ("cs", "py"))
    agree = 0
    for x, y in zip(lc, lp):
        if abs(rel(x, y) or 0) > 1e-4:
            break
        agree += 1
    s["trajectories_agree_evals"] = agree
    s["adam_ratio"] = ratio(g("cs", "adam_step_ms", "median"), g("py", "adam_step_ms", "median"))
    s["adam_loss_rel_diff"] = rel(g("cs", "adam_last_loss"), g("py", "adam_last_loss"))
    return s


def _get(d, *path):
    for p in path:
        if d is None:
            return None
        d = d.get(p)
    return d


# ---------------------------------------------------------------- tables

def fmt(v, spec="{:.0f}"):
    return "–" if v is None else spec.format(v)


def mark(ok):
    return "" if ok is None else (" ✓" if ok else " ✗")


def tables(a, meta, rows, multi):
    out = []
    lb, la = meta.get("loadavg_before"), meta.get("loadavg_after")
    load = lambda v: "/".join(f"{x:.2f}" for x in v) if v else "?"
    out.append(f"**{meta['date']}**, {meta['host']}: {meta['cpu']}, {meta['logical_cpus']} logical CPUs, {meta['memory_gb']} GB, "
               f"{meta['os']}; load average (1/5/15 min) {load(lb)} before, {load(la)} after.")
    out.append("")
    out.append(f"Processor: {meta['cpu']}; extensions {', '.join(meta.get('cpu_features') or []) or 'no AVX2/AVX-512/AMX'}. "
               f"NotebookStyle sees: {meta.get('cs_machine') or '?'}. PyTorch peer: {meta.get('py_kernels') or '?'}. "
               "Timings from another processor are not comparable with these.")
    out.append("")
    if a.device != "cpu":
        out.append(f"Device: **{a.device}** ({meta.get('gpu') or 'no nvidia-smi'}); each timed evaluation ends when the device has "
                   "finished it (synchronised).")
        out.append("")
    if a.no_peer:
        out.append("NotebookStyle only: no PyTorch for this device was at hand (--no-peer).")
        out.append("")
    out.append(f"NotebookStyle (TorchSharp {meta['torchsharp']}, libtorch {meta['libtorch']}, .NET {meta['dotnet']}) vs PyTorch "
               f"{meta['python_torch']} (Debian {meta['python_torch_deb']}, BLAS: {meta['libblas_alternative']}), "
               f"{a.threads} threads in both "
               f"(torch.set_num_threads, OMP/MKL/OPENBLAS_NUM_THREADS={a.threads}). Content {a.content}, style {a.style}, "
               f"same weights and images in both. L-BFGS: {a.rounds} round(s) per measurement, one process of each runtime per "
               f"round, the order alternating (A B, B A, …); {a.evals} evaluations per process, the first {a.warmup} not timed. "
               f"ms/eval: the median of the processes' medians (min–max of the processes' medians, ±: the largest distance "
               f"from the median); ratio: C# / PyTorch (min–max of the rounds' own ratios). Peak RSS: VmHWM, the whole process "
               f"(loading included) and the run alone (after loading).")
    busy = [f"{s['network']} {s['size']} {rt}" for s in rows for rt in ("cs", "py")
            if s[rt]["cpu_utilisation"] is not None and s[rt]["cpu_utilisation"] < 0.8]
    if busy:
        out.append("")
        out.append(f"**The machine was busy** (CPU use below 0.8 in: {', '.join(busy)}): threads waited for cores, so these timings "
                   "say more about the neighbours than about either runtime. Rerun on a quiet machine or with --threads 1.")
    out.append("")
    pct = lambda v: fmt(None if v is None else 100 * v)
    ok = lambda v, test: mark(None if v is None else test(v))
    span = lambda r, k: f"{fmt(_get(r, k, 'median'))} ({fmt(_get(r, k, 'min'))}–{fmt(_get(r, k, 'max'))})" if r.get(k) else "–"
    spread_of = lambda r, k: (f"{fmt(_get(r, k, 'median'))} ({fmt(_get(r, k, 'min'))}–{fmt(_get(r, k, 'max'))}, "
                              f"±{fmt(_get(r, k, 'pct'))}%)" if r.get(k) else "–")
    gpu = a.memory == "gpu"
    if gpu:
        memory_head = ("| peak GPU memory MB C# | PyTorch | ratio (≤1) | PyTorch allocator: max allocated / reserved MB "
                       "| CUDA context MB C# / PyTorch ")
    else:
        memory_head = "| process peak RSS MB C# | PyTorch | ratio (≤1) | run's peak RSS MB C# / PyTorch "
    probe_head = "" if a.device != "cpu" else "| GFLOP/s C# (% of conv probe) | PyTorch | conv probe GFLOP/s C# / PyTorch (max) | CPU use C# / PyTorch "
    head = f"| network | size | ms/eval C# | ms/eval PyTorch | ratio (≤0.85) {memory_head}{probe_head}|"
    out.append(head)
    out.append("|" + "---|" * (head.count("|") - 1))
    for s in rows:
        cs, py = s["cs"], s["py"]
        per_round = s.get("eval_ratio_per_round")
        rounds = f" ({fmt(per_round['min'], '{:.2f}')}–{fmt(per_round['max'], '{:.2f}')})" if per_round else ""
        line = (f"| {s['network']} | {s['width']}×{s['height']} | {spread_of(cs, 'eval_ms')} | {spread_of(py, 'eval_ms')} "
                f"| {fmt(s['eval_ratio'], '{:.2f}')}{ok(s['eval_ratio'], lambda v: v <= 0.85)}{rounds} ")
        if gpu:
            line += (f"| {span(cs, 'gpu_peak_mb')} | {span(py, 'gpu_peak_mb')} "
                     f"| {fmt(s['gpu_ratio'], '{:.2f}')}{ok(s['gpu_ratio'], lambda v: v <= 1.0)} "
                     f"| {fmt(_get(py, 'gpu_max_allocated_mb', 'median'))} / {fmt(_get(py, 'gpu_max_reserved_mb', 'median'))} "
                     f"| {fmt(_get(cs, 'gpu_context_mb', 'median'))} / {fmt(_get(py, 'gpu_context_mb', 'median'))} ")
        else:
            line += (f"| {span(cs, 'peak_rss_mb')} | {span(py, 'peak_rss_mb')} "
                     f"| {fmt(s['rss_ratio'], '{:.2f}')}{ok(s['rss_ratio'], lambda v: v <= 1.0)} "
                     f"| {fmt(_get(cs, 'run_peak_rss_mb', 'median'))} / {fmt(_get(py, 'run_peak_rss_mb', 'median'))} ")
        if probe_head:
            line += (f"| {fmt(cs['gflops'])} ({pct(cs['conv_efficiency'])}%) "
                     f"| {fmt(py['gflops'])} ({pct(py['conv_efficiency'])}%) "
                     f"| {fmt(_get(cs, 'conv_peak_gflops', 'median'))} / {fmt(_get(py, 'conv_peak_gflops', 'median'))} ({fmt(s['machine_conv_gflops'])}) "
                     f"| {fmt(cs['cpu_utilisation'], '{:.2f}')} / {fmt(py['cpu_utilisation'], '{:.2f}')} ")
        out.append(line + "|")
    if gpu:
        out.append("")
        out.append("GPU memory: the device memory in use (cudaMemGetInfo, read the same way in both runtimes after every timed "
                   "evaluation, highest reading) minus what the process found in use once CUDA had started (its context and "
                   "anything else on the device). Both caching allocators keep what they reserved, so this is the run's reserve "
                   "at its largest plus library workspaces; PyTorch's own allocator peaks are shown beside it.")
    wide = [s for s in rows if s.get("wide")]
    if wide:
        out.append("")
        for s in wide:
            tried = s.get("attempts", [])
            history = (f" after {len(tried)} attempts (ms/eval spreads ±{', ±'.join(f'{t:.0f}' for t in tried)}%; the smallest is shown)"
                       if len(tried) > 1 else "")
            out.append(f"> **Warning: {s['network']} {s['size']} does not hold still**: {', '.join(s['wide'])} "
                       f"(limit ±{a.spread_limit:.0f}%){history}. Its ratio is not a figure to quote: rerun on a quieter machine"
                       f"{'' if a.rerun else ' or with --rerun N'}.")
    out.append("")
    out.append(f"Losses: the same problem (first evaluation), how long the two L-BFGS runs stay together (|relative difference| ≤ 1e-4), "
               f"the best loss within {a.evals} L-BFGS evaluations (target: within 1% of PyTorch's, or lower)"
               + ("" if a.no_adam else f", and Adam ({a.evals} steps, clamped to [0, 1])") + ".")
    out.append("")
    head = "| network | size | first loss diff | trajectories agree | L-BFGS best C# | PyTorch | diff |"
    rule = "|---|---|---|---|---|---|---|"
    if not a.no_adam:
        head += " Adam last loss C# | PyTorch | diff | ms/Adam step C# | PyTorch | ratio |"
        rule += "---|---|---|---|---|---|"
    out += [head, rule]
    for s in rows:
        cs, py = s["cs"], s["py"]
        line = (f"| {s['network']} | {s['width']}×{s['height']} | {fmt(s['first_loss_rel_diff'], '{:+.1e}')} "
                f"| {s['trajectories_agree_evals']} of {min(cs['evaluations'], py['evaluations'])} "
                f"| {fmt(cs['best_loss'], '{:.6g}')} | {fmt(py['best_loss'], '{:.6g}')} "
                f"| {fmt(None if s['best_loss_rel_diff'] is None else 100 * s['best_loss_rel_diff'], '{:+.2f}%')}"
                f"{ok(s['best_loss_rel_diff'], lambda v: v <= 0.01)} |")
        if not a.no_adam:
            line += (f" {fmt(cs['adam_last_loss'], '{:.6g}')} | {fmt(py['adam_last_loss'], '{:.6g}')} "
                     f"| {fmt(None if s['adam_loss_rel_diff'] is None else 100 * s['adam_loss_rel_diff'], '{:+.2f}%')} "
                     f"| {span(cs, 'adam_step_ms')} | {span(py, 'adam_step_ms')} | {fmt(s['adam_ratio'], '{:.2f}')} |")
        out.append(line)
    if not a.no_breakdown:
        out.append("")
        out.append("Where an evaluation's time goes (median ms, at the content image): preprocessing + forward to the deepest tap, "
                   "the loss terms (Gram matrices included), backward.")
        out.append("")
        out.append("| network | size | forward C# | PyTorch | losses C# | PyTorch | backward C# | PyTorch | total C# | PyTorch | forward GFLOP/s C# / PyTorch |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for s in rows:
            b = lambda rt, k: fmt(_get(s, rt, "breakdown_ms", k, "median"))
            fwd = lambda rt: fmt(None if not _get(s, rt, "breakdown_ms", "forward_ms", "median")
                                 else s["conv_flops_forward"] / _get(s, rt, "breakdown_ms", "forward_ms", "median") / 1e6)
            out.append(f"| {s['network']} | {s['width']}×{s['height']} | "
                       + " | ".join(f"{b('cs', k)} | {b('py', k)}" for k in ("forward_ms", "losses_ms", "backward_ms", "total_ms"))
                       + f" | {fwd('cs')} / {fwd('py')} |")
    if multi:
        out.append("")
        out.append(f"Multi-scale (C#, the library's driver, L-BFGS, factor 2, {a.ms_coarse_iterations} iterations per coarser scale): "
                   f"time to reach the single-scale run's final loss after {a.ms_iterations} iterations. Finest-scale start: "
                   "`upsample` = the driver's (the coarse result upsampled); `detail` = an experiment in the benchmark (the content "
                   "photo with its low frequencies replaced by the coarse result's).")
        out.append("")
        out.append("| network | size | scales | finest-scale start | time to the single-scale loss s | ratio (≤0.5) | evaluations per scale | loss after the first finest-scale iteration |")
        out.append("|---|---|---|---|---|---|---|---|")
        for m in multi:
            sg = m["single"]
            size = f"{m['width']}×{m['height']}"
            first = lambda r: next((t[3] for t in r["trace"] if t[0] == len(r["per_scale"]) - 1), None)
            out.append(f"| {m['network']} | {size} | 1 | content | {fmt(sg['seconds'], '{:.1f}')} (final loss {fmt(sg['target_loss'], '{:.6g}')}) | 1.00 "
                       f"| {'/'.join(str(p['evaluations']) for p in sg['per_scale'])} | {fmt(first(sg), '{:.6g}')} |")
            for r in m["multi"]:
                t = r["seconds"] if r["reached"] else None
                q = ratio(t, sg["seconds"])
                reached = fmt(t, "{:.1f}") if r["reached"] else f"not reached (loss {fmt(r['final_loss'], '{:.6g}')} after {fmt(r['seconds'], '{:.1f}')} s)"
                out.append(f"| {m['network']} | {size} | {r['scales']} | {r.get('init', 'upsample')} | {reached} | {fmt(q, '{:.2f}')}{mark(None if q is None else q <= 0.5)} "
                           f"| {'/'.join(str(p['evaluations']) for p in r['per_scale'])} | {fmt(first(r), '{:.6g}')} |")
    return "\n".join(out)


START, END = "<!-- benchmark:start (tests/benchmarks/run.sh --readme) -->", "<!-- benchmark:end -->"


def update_readme(table, meta):
    path = os.path.join(ROOT, "README.md")
    text = open(path).read()
    block = f"{START}\nLatest run ({meta['date'][:10]}, {meta['cpu']} ({', '.join(meta.get('cpu_features') or []) or 'no AVX2/AVX-512'}), {meta['logical_cpus']} logical CPUs, {meta['memory_gb']} GB):\n\n{table}\n{END}"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Performance against PyTorch\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


# ---------------------------------------------------------------- main

def order(a, r):
    """The two runtimes of round r: C# first in even rounds, PyTorch first in odd ones (A B B A A B ...), so that neither
    always runs right after the other's load or always first on a cooling machine."""
    return a.runtimes if r % 2 == 0 else a.runtimes[::-1]


def main():
    a = parse_args()
    content, style = os.path.join(a.images, a.content), os.path.join(a.images, a.style)
    for f in (content, style):
        if not os.path.isfile(f):
            raise SystemExit(f"image not found: {f} (pass --images or set NOTEBOOKSTYLE_SHARED)")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S") + ("-quick" if a.quick else "")
    folder = os.path.join(a.out, stamp)
    problems = os.path.join(a.out, "problems")
    os.makedirs(folder, exist_ok=True)
    meta = machine(a)
    meta["loadavg_before"] = loadavg3()
    runner = Runner(a, folder)
    print(f"benchmark: {folder}", file=sys.stderr)

    sizes = sorted(set(a.sizes) | ({a.ms_size} if not a.no_multiscale else set()))
    print("  preparing problems (weights and images, written once by the C# side)", file=sys.stderr, flush=True)
    subprocess.run(["dotnet", a.dll, "prepare", "--out", problems, "--networks", ",".join(a.networks), "--sizes", ",".join(map(str, sizes)),
                    "--content", content, "--style", style, "--threads", str(a.threads)],
                   env=runner.env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)

    rows, multi = [], []
    for network in a.networks:
        for size in a.sizes:
            name = f"{network}-{size}"
            problem = os.path.join(problems, name, "problem.json")
            flops_cs = json.load(open(problem))["conv_flops_forward"]
            flops_py = flops_cs if a.no_peer else runner.run("py", "flops", problem, name)["conv_flops_forward"]
            if flops_cs != flops_py:
                raise SystemExit(f"{name}: the two runtimes count different conv FLOPs ({flops_cs} vs {flops_py}): not the same network")
            extra = {}
            if not a.no_adam:
                for r in range(a.adam_rounds):
                    for runtime in order(a, r):
                        extra.setdefault((runtime, "adam"), []).append(runner.run(runtime, "adam", problem, name, ["--evals", str(a.evals)]))
            if not a.no_breakdown:
                for runtime in a.runtimes:
                    extra.setdefault((runtime, "breakdown"), []).append(
                        runner.run(runtime, "breakdown", problem, name, ["--evals", str(min(a.evals, 10) + a.warmup)]))
            attempts = []
            for attempt in range(1 + max(0, a.rerun)):
                runs = dict(extra)
                for r in range(a.rounds):
                    for runtime in order(a, r):
                        runs.setdefault((runtime, "lbfgs"), []).append(runner.run(runtime, "lbfgs", problem, name, ["--evals", str(a.evals)]))
                attempts.append(summarise(a, network, size, flops_cs, runs))
                if attempts[-1]["max_spread_pct"] <= a.spread_limit:
                    break
                if attempt < a.rerun:
                    print(f"  {name}: ms/eval spread ±{attempts[-1]['max_spread_pct']:.0f}% > ±{a.spread_limit:.0f}%: "
                          f"running it again ({attempt + 2} of {a.rerun + 1})", file=sys.stderr, flush=True)
            best = min(attempts, key=lambda x: x["max_spread_pct"])
            best["attempts"] = [x["max_spread_pct"] for x in attempts]
            rows.append(best)
        if not a.no_multiscale:
            name = f"{network}-{a.ms_size}"
            problem = os.path.join(problems, name, "problem.json")
            r = runner.run("cs", "multiscale", problem, name, ["--iterations", str(a.ms_iterations), "--scales", a.ms_scales,
                                                               "--coarse-iterations", str(a.ms_coarse_iterations)])
            multi.append(r)

    meta["loadavg_after"] = loadavg3()
    table = tables(a, meta, rows, multi)
    summary = {"meta": meta, "settings": {k: v for k, v in vars(a).items()}, "results": rows,
               "multiscale": [{k: v for k, v in m.items() if k != "math_libraries"} for m in multi]}
    for path in (os.path.join(folder, "summary.json"), os.path.join(a.out, "latest.json")):
        with open(path, "w") as f:
            json.dump(summary, f, indent=1)
    for path in (os.path.join(folder, "table.md"), os.path.join(a.out, "latest.md")):
        with open(path, "w") as f:
            f.write(table + "\n")
    if a.readme:
        update_readme(table, meta)
    print(table)
    print(f"\nwritten: {folder}/summary.json, table.md, raw/ (and {os.path.join(a.out, 'latest.*')})", file=sys.stderr)


if __name__ == "__main__":
    main()
