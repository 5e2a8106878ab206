#!/usr/bin/env python3
"""Looks at pioneer as its users do, in real Chromium through chromedriver (W3C WebDriver,
standard library only).

screens: signs in as each demo account, walks the pages its home, its tab bar and its
"more" page lead to (same origin, GET, no downloads), and saves a screenshot of each at
390x844 and 1440x900, with an index.html to look at them side by side.

timings: for the rider's home, quiz and credits pages and the organiser's dossiers and
statistics pages, on a cold cache with the DevTools "Slow 3G" profile (2,000 ms latency,
50,000 B/s each way, set with Network.emulateNetworkConditions through chromedriver's
DevTools bridge): the bytes transferred (compressed), the time until the document is
interactive and until it is loaded; and the header's height at 390x844.

Usage: bench/screens.py BASE_URL OUTDIR [screens|timings|both] [ACCOUNT...]
PIONEER_SCREENS_PATHS="/a /b" screenshots only those pages (no walking).
Needs chromedriver on PATH (Debian: chromium chromium-driver). The password is the demo's.
"""
import base64, html, json, os, re, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

PASSWORD = os.environ.get("PIONEER_DEMO_PASSWORD", "Demo@Shenzhen2026")
ACCOUNTS = ["rider", "meituan.secretary", "tencent.secretary", "tencent.admin", "committee.admin",
            "organiser", "auditor", "security", "admin"]
SIZES = [(390, 844), (1440, 900)]
SKIP = re.compile(r"^/(logout|static/|api/|export|banner/|lang|.*\.(xlsx|csv|zip|png|jpg|svg)$)|/download|/export")
PER_ACCOUNT = int(os.environ.get("PIONEER_SCREENS_PER_ACCOUNT", "60"))
PORT = 9521


def wd(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.loads(r.read())["value"]
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: {e.read()[:300]!r}") from None


class Browser:
    def __init__(self):
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--force-device-scale-factor=1", "--lang=zh-CN"]}}}}
        self.sid = wd("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        return wd(method, f"/session/{self.sid}{path}", body)

    def size(self, w, h):
        # The window's outer size differs from the viewport; set it, then correct by the gap.
        self.call("POST", "/window/rect", {"width": w, "height": h})
        iw, ih = self.js("return [window.innerWidth, window.innerHeight]")
        self.call("POST", "/window/rect", {"width": w + (w - iw), "height": h + (h - ih)})

    def go(self, url):
        self.call("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def cdp(self, cmd, params=None):
        return self.call("POST", "/goog/cdp/execute", {"cmd": cmd, "params": params or {}})

    def shot(self, path, most=int(os.environ.get("PIONEER_SCREENS_MOST", "6000"))):
        """The whole page (up to `most` px tall), as a person scrolling would see it."""
        w, h = self.js("return [window.innerWidth, document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": 0, "width": w, "height": min(h, most), "scale": 1}
        png = self.cdp("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def sign_in(self, base, user):
        self.call("DELETE", "/cookie")
        self.go(base + "/login")
        self.js("document.getElementById('username').value = arguments[0];"
                "document.getElementById('password').value = arguments[1];"
                "document.querySelector('form[action=\"/login\"]').submit();", user, PASSWORD)
        time.sleep(0.5)

    def quit(self):
        try:
            wd("DELETE", f"/session/{self.sid}")
        except Exception:
            pass


def links(b, base):
    hrefs = b.js("return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
    out = []
    for h in hrefs:
        u = urllib.parse.urlsplit(urllib.parse.urljoin(base + "/", h))
        if u.netloc != urllib.parse.urlsplit(base).netloc:
            continue
        path = u.path + ("?" + u.query if u.query else "")
        if not SKIP.search(u.path) and path not in out:
            out.append(path)
    return out


def slug(path):
    return re.sub(r"[^A-Za-z0-9]+", "_", path.strip("/"))[:80] or "home"


def screens(base, out, accounts):
    os.makedirs(out, exist_ok=True)
    rows = []
    b = Browser()
    try:
        for user in accounts:
            b.size(*SIZES[0])
            b.sign_in(base, user)
            only = [p for p in os.environ.get("PIONEER_SCREENS_PATHS", "").split() if p]
            todo, seen = (only or ["/", "/more"]), []
            while todo and len(seen) < PER_ACCOUNT:
                path = todo.pop(0)
                if path in seen:
                    continue
                seen.append(path)
                files = []
                for w, h in SIZES:
                    b.size(w, h)
                    b.go(base + path)
                    title = b.js("return document.title")
                    name = f"{user}/{slug(path)}-{w}.png"
                    os.makedirs(os.path.join(out, user), exist_ok=True)
                    b.shot(os.path.join(out, name))
                    wide = b.js("return document.documentElement.scrollWidth > window.innerWidth")
                    files.append((name, wide))
                    if w == SIZES[0][0]:
                        # Follow one level of links from home and "more" (the role's reach).
                        if path in ("/", "/more") and not only:
                            todo += [p for p in links(b, base) if p not in seen and p not in todo]
                rows.append((user, path, title, files))
                print(f"{user:18} {path:60} {title[:40]}" + ("  SIDEWAYS" if any(w for _, w in files) else ""),
                      flush=True)
    finally:
        b.quit()
    with open(os.path.join(out, "index.html"), "w") as f:
        f.write("<!doctype html><meta charset=utf-8><title>pioneer screens</title>"
                "<style>img{border:1px solid #ccc;vertical-align:top;margin:4px}"
                ".n{width:390px}.w{width:720px}</style>")
        for user, path, title, files in rows:
            f.write(f"<h2>{html.escape(user)} · {html.escape(path)} · {html.escape(title)}</h2>")
            for (name, wide), cls in zip(files, ["n", "w"]):
                f.write(f"<a href='{name}'><img class={cls} src='{name}'></a>")
    print(f"{len(rows)} pages, {2 * len(rows)} screenshots: {out}/index.html")


TIMED = [("rider", ["/", "/quiz", "/credits"]), ("organiser", ["/dossiers", "/stats"])]
# PIONEER_TIMED="account=/a,/b;-=/c" times those pages instead ("-": signed out).
if os.environ.get("PIONEER_TIMED"):
    TIMED = [(a, p.split(",")) for a, p in (x.split("=", 1) for x in os.environ["PIONEER_TIMED"].split(";"))]


def timings(base, accounts):
    slow3g = {"offline": False, "latency": 2000, "downloadThroughput": 50000, "uploadThroughput": 50000}
    print(f"{'account':10} {'page':10} {'bytes':>7} {'interactive':>12} {'loaded':>8}  (Slow 3G, cold cache)")
    b = Browser()
    try:
        for user, paths in TIMED:
            if accounts and user not in accounts:
                continue
            b.size(*SIZES[0])
            if user != "-":
                b.sign_in(base, user)
            b.go(base + paths[0])
            header = b.js("return document.querySelector('header').getBoundingClientRect().height")
            print(f"{user:10} header at 390x844: {header:.0f} px")
            for path in paths:
                b.cdp("Network.enable")
                b.cdp("Network.clearBrowserCache")
                b.cdp("Network.emulateNetworkConditions", slow3g)
                b.go(base + path)
                n = b.js("const n = performance.getEntriesByType('navigation')[0];"
                         "const r = performance.getEntriesByType('resource');"
                         "return [n.transferSize + r.reduce((s, x) => s + x.transferSize, 0),"
                         " n.domInteractive, n.loadEventEnd]")
                b.cdp("Network.emulateNetworkConditions",
                      {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
                print(f"{user:10} {path[-24:]:10} {n[0]:7d} {n[1] / 1000:10.2f} s {n[2] / 1000:6.2f} s")
    finally:
        b.quit()


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    what = sys.argv[3] if len(sys.argv) > 3 else "both"
    accounts = sys.argv[4:]
    driver = subprocess.Popen(["chromedriver", f"--port={PORT}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                wd("GET", "/status")
                break
            except Exception:
                time.sleep(0.2)
        if what in ("screens", "both"):
            screens(base, out, accounts or ACCOUNTS)
        if what in ("timings", "both"):
            timings(base, accounts)
    finally:
        driver.terminate()


if __name__ == "__main__":
    main()
