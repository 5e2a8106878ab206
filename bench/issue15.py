#!/usr/bin/env python3
"""Issue 15's figures against a running pioneer (the demo, started with --trust-proxy so that
X-Forwarded-For chooses the client's address):

1. Sign-in under a flood: one address (10.0.0.66) makes FLOOD failed sign-ins against the
   rider's account and others as fast as it can, while the rider signs in from another address
   (10.0.0.7) with the right password every half second. Prints the attempts made, how many the
   server refused, and the rider's results.
2. /healthz while two 100,000-row rosters full of errors are checked: two threads upload them
   through POST /api/v1/people/import at once, a third asks /healthz every 20 ms until both
   answer; five rounds. Prints the imports' status, time and answer size, and /healthz p50,
   p99 and max over the rounds.

Usage: bench/issue15.py BASE_URL [FLOOD]
"""
import json, re, statistics, sys, threading, time, urllib.parse, urllib.request

base = sys.argv[1]
flood = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
PW = "Demo@Shenzhen2026"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def request(method, path, body=None, headers=None, timeout=600):
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        res = opener.open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        res = e
    return res.status, res.headers, res.read()


def sign_in(user, password, address):
    body = urllib.parse.urlencode({"username": user, "password": password}).encode()
    status, headers, _ = request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                           "X-Forwarded-For": address})
    cookie = (headers.get("Set-Cookie") or "").split(";")[0]
    ok = status == 303 and cookie.startswith("pioneer_session=") and headers.get("Location", "").startswith("/")
    return status, ok and not headers.get("Location", "").startswith("/login"), cookie


# 1. Sign-in while another address floods the form.
stop = threading.Event()
made = {"attempts": 0, "refused": 0}


def flooder():
    users = ["rider", "committee.admin", "tencent.secretary", "nobody"]
    while not stop.is_set() and made["attempts"] < flood:
        status, _, _ = sign_in(users[made["attempts"] % len(users)], "wrong-password", "10.0.0.66")
        made["attempts"] += 1
        if status == 429:
            made["refused"] += 1


threads = [threading.Thread(target=flooder) for _ in range(4)]
for t in threads:
    t.start()
rider = []
started = time.time()
while any(t.is_alive() for t in threads) and len(rider) < 40:
    status, ok, _ = sign_in("rider", PW, "10.0.0.7")
    rider.append(ok)
    time.sleep(0.5)
stop.set()
for t in threads:
    t.join()
print(f"sign-in flood: {made['attempts']} failed attempts from 10.0.0.66 in {time.time() - started:.1f} s "
      f"({made['refused']} refused with 429); the rider from 10.0.0.7 signed in {sum(rider)} of {len(rider)} times")

# 2. /healthz while two bad 100,000-row rosters are checked.
status, headers, _ = request("POST", "/login", urllib.parse.urlencode({"username": "committee.admin", "password": PW}).encode(),
                             {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "10.0.0.9"})
cookie = headers.get("Set-Cookie").split(";")[0]
_, _, page = request("GET", "/account/password", None, {"Cookie": cookie, "X-Forwarded-For": "10.0.0.9"})
token = re.search(r'name="csrf" value="([0-9a-f]+)"', page.decode()).group(1)
_, _, orgs = request("GET", "/api/v1/organizations", None, {"Cookie": cookie})
branch = next(o["id"] for o in json.loads(orgs) if o["name"] == "腾讯数据平台部第三党支部")
_, _, template = request("GET", "/people/roster/template?format=csv", None, {"Cookie": cookie})
lines = template.decode("utf-8-sig").splitlines()
header, example = lines[0], lines[1].split(",")
at = header.split(",").index(next(h for h in header.split(",") if h.endswith(" id_card")))
rows = []
for i in range(100_000):
    example[at] = f"4403{i:07}X"
    rows.append(",".join(example))
roster = ("\n".join([header] + rows) + "\n").encode()
done, answers, health = [], [], []


def upload(n):
    t = time.time()
    status, _, body = request("POST", f"/api/v1/people/import?org={branch}", roster,
                              {"Cookie": cookie, "X-CSRF-Token": token, "Content-Type": "text/csv"})
    answers.append((n, status, time.time() - t, len(body), json.loads(body).get("total")))
    done.append(n)


ROUNDS = 5
for r in range(ROUNDS):
    uploads = [threading.Thread(target=upload, args=(2 * r + n,)) for n in range(2)]
    for u in uploads:
        u.start()
    while len(done) < 2 * (r + 1):
        t = time.time()
        status, _, _ = request("GET", "/healthz")
        health.append(((time.time() - t) * 1000, status))
        time.sleep(0.02)
    for u in uploads:
        u.join()
for n, status, took, size, total in sorted(answers):
    print(f"import {n}: {status} in {took:.1f} s, {size} bytes, {total} problems")
ms = sorted(h[0] for h in health)
p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]
print(f"/healthz while importing: {len(ms)} requests, all {set(h[1] for h in health)}, "
      f"p50 {statistics.median(ms):.1f} ms, p99 {p(0.99):.1f} ms, max {ms[-1]:.1f} ms")
