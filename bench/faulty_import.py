#!/usr/bin/env python3
"""Imports DOSSIERS existing dossiers (default 10,000) into a running pioneer through the
real path a committee uses: the organisations and members the records name are made through
the API, the people through a roster upload, then the dossier files (the fixture's 61 fault
patterns, each dossier one of them, as paper records would come) through
POST /api/v1/dossiers/import: a dry run and the import, file by file (a file holds at most
100,000 rows, so 10,000 dossiers take four files). Prints the time of each step and the
screening of the result.

Usage: bench/faulty_import.py BASE_URL [DOSSIERS]
"""
import csv, io, json, re, sys, time, urllib.parse, urllib.request, uuid, os

base = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "crates", "web", "tests", "fixtures")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_card(birth, seq, region="440398"):
    body = region + birth.replace("-", "") + f"{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


opener = urllib.request.build_opener(NoRedirect)
cookie, token = "", ""


def call(method, path, body=None, ctype=None, timeout=600):
    global cookie
    req = urllib.request.Request(base + path, data=body, method=method)
    if cookie:
        req.add_header("Cookie", cookie)
        req.add_header("x-csrf-token", token)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        res = opener.open(req, timeout=timeout)
    except urllib.error.HTTPError as e:
        res = e
    sc = res.headers.get("Set-Cookie")
    if sc and sc.startswith("pioneer_session="):
        cookie = sc.split(";")[0]
    return res.status, res.read().decode()


def api(method, path, obj):
    status, text = call(method, path, json.dumps(obj).encode(), "application/json")
    if status >= 300:
        sys.exit(f"{method} {path}: {status} {text[:400]}")
    return json.loads(text) if text else None


def multipart(path, name, data, fields):
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode() for k, v in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                 f"Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return call("POST", path, body, f"multipart/form-data; boundary={boundary}")


# Sign in as the working committee's organisation administrator.
call("POST", "/login", urllib.parse.urlencode({"username": "committee.admin", "password": "Demo@Shenzhen2026"}).encode(),
     "application/x-www-form-urlencoded")
_, page = call("GET", "/account/password")
token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
orgs = json.loads(call("GET", "/api/v1/organizations")[1])
root = next(o["id"] for o in orgs if o["name"] == "中共深圳市委互联网企业工作委员会")
tag = uuid.uuid4().hex[:4]
committee = api("POST", "/api/v1/organizations", {"parent_id": root, "name": "排查样本党委", "kind": "committee", "approval_authority": True})["id"]
general = api("POST", "/api/v1/organizations", {"parent_id": committee, "name": "排查样本党总支", "kind": "general_branch"})["id"]
branch = api("POST", "/api/v1/organizations", {"parent_id": general, "name": "排查样本支部", "kind": "branch"})["id"]

members = list(csv.reader(open(os.path.join(FIX, "faulty-dossiers-members.csv"), encoding="utf-8")))[1:]
for card, name, standing in members:
    status, admitted, full = {"full": ("full_member", "2014-07-01", "2015-07-01"),
                              "full_from_2024_06": ("full_member", "2023-06-01", "2024-06-01"),
                              "full_disciplined": ("full_member", "2014-07-01", "2015-07-01"),
                              "probationary": ("probationary_member", "2023-09-01", ""),
                              }.get(standing, ("non_member", "", ""))
    p = api("POST", "/api/v1/people", {"name": name, "id_card": card, "ethnicity": "汉族", "education": "bachelor",
                                        "worker_category": "rider", "status": status, "org_id": branch,
                                        "admitted_on": admitted, "full_member_on": full})
    if standing == "full_disciplined":
        api("POST", f"/api/v1/people/{p['id']}/discipline", {"discipline_from": "2024-01-01",
            "discipline_until": "2025-06-30", "discipline_decision": "样本党委 〔2023〕9号"})

# The people the dossiers are about, as one roster file.
expected = list(csv.reader(open(os.path.join(FIX, "faulty-dossiers-expected.csv"), encoding="utf-8")))[1:]
patterns = [e for e in expected if e[5] == "0"]
fixture = list(csv.reader(open(os.path.join(FIX, "faulty-dossiers.csv"), encoding="utf-8")))
header, rows = fixture[0], fixture[1:]
rows_of = {}
for r in rows:
    rows_of.setdefault(r[0], []).append(r)
people = []
for i in range(total):
    pattern = patterns[i % len(patterns)]
    birth = pattern[0][6:14]
    birth = f"{birth[:4]}-{birth[4:6]}-{birth[6:]}"
    people.append((f"样本{i:05d}", id_card(birth, i % 1000, region=f"4403{10 + i // 1000:02d}"), pattern[0]))
roster = io.StringIO()
w = csv.writer(roster)
w.writerow(["姓名 name", "身份证号 id_card", "民族 ethnicity", "学历 education", "就业类别 worker_category", "所在党组织 org", "政治面貌 status"])
for name, card, _ in people:
    w.writerow([name, card, "汉族", "bachelor", "rider", f"{branch}", "non_member"])
t0 = time.time()
status, text = multipart(f"/people/import?org={branch}", "roster.csv", roster.getvalue().encode("utf-8"), {"csrf": token, "apply": "1"})
if status != 200:
    sys.exit(f"roster: {status} {re.findall(r'<td>[^<]*</td>', text)[:12]}")
print(f"roster of {total} people (one upload)            {time.time() - t0:8.2f} s")

# The dossiers, in files of at most 100,000 rows.
files, current, n_rows = [], [], 0
for i, (name, card, pattern_card) in enumerate(people):
    mine = rows_of[pattern_card]
    if n_rows + len(mine) > 100_000:
        files.append(current)
        current, n_rows = [], 0
    current.extend([card, f"B-{i:05d}"] + r[2:] for r in mine)
    n_rows += len(mine)
files.append(current)
dry = imp = 0.0
dossiers = events = 0
for k, part in enumerate(files):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    w.writerows(part)
    data = out.getvalue().encode("utf-8")
    t0 = time.time()
    status, text = call("POST", f"/api/v1/dossiers/import?org={branch}&apply=false", data, "text/csv")
    dry += time.time() - t0
    if status != 200:
        sys.exit(f"dry run {k}: {status} {text[:600]}")
    t0 = time.time()
    status, text = call("POST", f"/api/v1/dossiers/import?org={branch}&apply=true", data, "text/csv")
    imp += time.time() - t0
    if status != 200:
        sys.exit(f"import {k}: {status} {text[:600]}")
    got = json.loads(text)
    dossiers += got["dossiers"]
    events += got["events"]
    print(f"file {k + 1}: {len(part):6d} rows, {len(data) / 1e6:5.1f} MB, {got['dossiers']} dossiers")
print(f"dry runs, {dossiers} dossiers ({events} records)      {dry:8.2f} s")
print(f"imports,  {dossiers} dossiers ({events} records)      {imp:8.2f} s   ({dossiers / imp:.0f} dossiers/s)")
t0 = time.time()
status, text = call("GET", f"/api/v1/screening?org={committee}")
v = json.loads(text)
print(f"screening the {v['dossiers']} dossiers of the committee        {time.time() - t0:8.2f} s")
for g in v["groups"][:40]:
    print(f"  {g['check']['rule']:8} {g['check']['code']:28} {g['count']:6d}")
