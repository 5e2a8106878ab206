#!/usr/bin/env python3
"""Writes while the statistics are measured, as organisers do: new people, a dossier for
every other one, and a departure for every fifth, through the API, until stopped (SIGTERM);
then prints how many of each it wrote and how many writes failed.

Usage: bench/stats_writer.py BASE_URL COOKIE ORG_ID
"""
import json, random, re, signal, sys, urllib.error, urllib.request

from crash import id_card  # a new ID number with its check digit (bench/crash.py)

base, cookie, org = sys.argv[1], sys.argv[2], sys.argv[3]
stop = False
signal.signal(signal.SIGTERM, lambda *_: globals().__setitem__("stop", True))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, path, body=None, csrf=""):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Cookie", cookie)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if csrf:
        req.add_header("X-CSRF-Token", csrf)
    try:
        res = OPENER.open(req, timeout=30)
    except urllib.error.HTTPError as e:
        res = e
    return res.status, res.read().decode()


csrf = re.search(r'name="csrf" value="([^"]+)"', call("GET", "/account/password")[1]).group(1)
random.seed()  # new ID numbers on every run (a reused data folder keeps the last run's)
used, written, failed = set(), {"people": 0, "dossiers": 0, "departures": 0}, 0
n = 0
while not stop:
    n += 1
    person = {"name": "统计写入%d" % n, "id_card": id_card(used), "ethnicity": "汉族", "education": "bachelor",
              "worker_category": "platform_staff", "status": "applicant", "applied_on": "2026-10-01", "org_id": org}
    if n % 5 == 0:  # a member, who then leaves
        person.update(status="full_member", applied_on="2019-03-01", activist_on="2019-06-01",
                      target_on="2020-06-01", admitted_on="2020-09-01", full_member_on="2021-09-01")
    status, answer = call("POST", "/api/v1/people", person, csrf)
    if status != 201:
        failed += 1
        continue
    written["people"] += 1
    person = json.loads(answer)["id"]
    if n % 2 == 0:
        s, _ = call("POST", "/api/v1/dossiers", {"person_id": person}, csrf)
        written["dossiers"] += s in (200, 201)
        failed += s not in (200, 201)
    if n % 5 == 0:
        s, _ = call("POST", f"/api/v1/people/{person}/departure",
                    {"departure_kind": "died", "left_on": "2026-11-01"}, csrf)
        written["departures"] += s in (200, 201)
        failed += s not in (200, 201)
print("written during the measurement: %(people)d people, %(dossiers)d dossiers, %(departures)d departures" % written
      + ", %d failed" % failed)
