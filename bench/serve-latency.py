#!/usr/bin/env python3
"""Edit-to-served latency of `planpress serve`, end to end.

    bench/serve-latency.py [--pages N] [--edits 10] [--gap S] [--planpress BIN] [--work DIR] [--kinds K,K]

Generates a site of N result pages per language (bench gen; default 10,000), starts
`planpress serve` on it, and for each kind of edit -- a result's Markdown body, a result's YAML,
a partner's YAML, a template -- writes the file ten times (each time with a new marker text) and
polls the page over HTTP until the marker is there. The time counted is from just before the
write to the first response with the marker: what an editor waits after saving. Prints the
median and the slowest of each kind, in milliseconds.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_for(url, marker, deadline_s=60.0):
    start = time.perf_counter()
    while time.perf_counter() - start < deadline_s:
        if marker in get(url):
            return True
        time.sleep(0.002)
    return False


def time_edits(name, path, url, edit, edits, gap):
    """`edit(text, marker)` returns the file's new text with `marker` in it."""
    original = open(path, encoding="utf-8").read()
    times = []
    try:
        for i in range(edits):
            marker = f"edit{os.getpid()}x{i}q"
            new = edit(original, marker)
            assert marker in new, f"{name}: the edit did not place its marker"
            start = time.perf_counter()
            # One write, as most editors save.
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            if not wait_for(url, marker):
                raise SystemExit(f"serve-latency: {name}: {url} never showed the edit")
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(gap)  # let the rest of the site catch up before the next edit
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        time.sleep(1.0)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--planpress", default=os.environ.get("PLANPRESS"))
    ap.add_argument("--work")
    ap.add_argument("--gap", type=float, default=0.3,
                    help="seconds between one edit being served and the next write (default 0.3; "
                    "longer lets serve finish the edit's booklets and search index first)")
    ap.add_argument("--kinds", help="comma-separated subset of: result body, result YAML, partner, template")
    args = ap.parse_args()

    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    if not args.planpress:
        log("building planpress and the generator (release)…")
        subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "planpress", "-p", "bench"], cwd=REPO, check=True)
        args.planpress = os.path.join(target, "release", "planpress")
    gen = os.path.join(target, "release", "bench")
    if not os.path.exists(gen):
        subprocess.run(["cargo", "build", "--release", "--locked", "-q", "-p", "bench"], cwd=REPO, check=True)

    work = args.work or tempfile.mkdtemp(prefix="serve-latency-")
    site = os.path.join(work, "site")
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([gen, "gen", "--pages", str(args.pages), "--seed", "2011", "--out", site], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A theme of the site's own, a copy of the default, so that a template can be edited.
    shutil.copytree(os.path.join(REPO, "themes", "default"), os.path.join(site, "themes", "default"), dirs_exist_ok=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([args.planpress, "serve", "--root", site, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        start = time.perf_counter()
        while not get(base + "zh/"):
            if server.poll() is not None:
                raise SystemExit("serve-latency: planpress serve exited")
            time.sleep(0.05)
        log(f"{args.pages}/lang: first build served after {time.perf_counter() - start:.1f} s")

        year_dir = sorted(os.listdir(os.path.join(site, "content", "results")))[-1]
        results = os.path.join(site, "content", "results", year_dir)
        slug = sorted(f[:-5] for f in os.listdir(results) if f.endswith(".yaml") and f != "summary.yaml")[len(os.listdir(results)) // 6]
        result_url = base + f"zh/results/{year_dir}/{slug}/"
        partner = "beijing"
        kinds = [
            ("result body", os.path.join(results, f"{slug}.zh.md"), result_url, lambda t, m: t.rstrip("\n") + f"\n\n{m}\n"),
            ("result YAML", os.path.join(results, f"{slug}.yaml"), result_url,
             lambda t, m: re.sub(r"^(title:\s*\n\s+zh:\s*)(.*)$|^(\s+zh:\s*)(.*)$", lambda x: (x.group(1) or x.group(3)) + m, t, count=1, flags=re.M)),
            ("partner", os.path.join(site, "content", "partners", f"{partner}.yaml"), base + f"zh/partners/{partner}/",
             lambda t, m: re.sub(r"^(\s+zh:\s*)(.*)$", lambda x: x.group(1) + m, t, count=1, flags=re.M)),
            ("template", os.path.join(site, "themes", "default", "templates", "result.html"), result_url,
             lambda t, m: t.replace("{% endblock content %}", f"<p>{m}</p>\n{{% endblock content %}}", 1)),
        ]
        print(f"{'edit':<12} {'median ms':>10} {'max ms':>8}   ({args.edits} edits each, {args.pages} results per language)")
        if args.kinds:
            wanted = [k.strip() for k in args.kinds.split(",")]
            kinds = [k for k in kinds if k[0] in wanted]
        for name, path, url, edit in kinds:
            times = time_edits(name, path, url, edit, args.edits, args.gap)
            print(f"{name:<12} {statistics.median(times):>10.0f} {max(times):>8.0f}")
    finally:
        server.terminate()
        server.wait()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
