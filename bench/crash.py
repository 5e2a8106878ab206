#!/usr/bin/env python3
"""Crash runs for bench/crash.sh: drives mixed writes at a running pioneer through the JSON API,
cuts it off (kill -9, a LazyFS power cut, or a LazyFS crash just before a WAL fsync), and
afterwards checks that every write the server acknowledged (a 2xx answer) is in the database.

  crash.py load BASE_URL ACKS.json --cut kill|clear|fsync --server-pid PID
           [--riders FILE] [--fifo FIFO --done-fifo FIFO --lazyfs-pid PID] [--seconds S]
      Signs in demo accounts, writes from several threads for S seconds (default: random 2-6),
      then makes the cut and writes every acknowledged write to ACKS.json.
  crash.py verify ACKS.json (--sqlite FILE | --postgres URL)
      Looks every acknowledged write up in the database (SQLite opened read-only; PostgreSQL
      through psql) and prints one line: acked=N found=N missing=N ledger_bad=N, then the
      count per kind and each missing write.

Standard library only. The demo accounts sign in as a browser does (POST /login with the demo
password sets the pioneer_session cookie; the CSRF token comes from a signed-in page's form and
goes along as X-CSRF-Token); the riders are those `pioneer generate --quiz-riders` writes to
FILE (session cookie, CSRF token, quiz, started attempt, questions). The write kinds, the API
calls they use, and what verify looks for:
  person        POST /api/v1/people                 organiser; unique name and ID number
                → people row with that name, journal entry
  dossier       POST /api/v1/dossiers               organiser; for a person made in this run
                → dossiers row, journal entry
  backbone      POST /api/v1/people                 tencent.secretary; is_backbone (for contacts)
  contact       POST /api/v1/contacts?org=BRANCH    tencent.secretary → contact_links row, journal
  visit         POST /api/v1/contacts/{id}/visits   tencent.secretary; unique note → contact_visits
  meeting       POST /api/v1/meetings?org=BRANCH    tencent.secretary; 3 attendance marks
                → meetings row, its marks, journal entry
  training      POST /api/v1/training?org=BRANCH    tencent.secretary → training_classes, journal
  attendance    POST /api/v1/training/{id}/attendance  tencent.secretary → training_attendance
  benefit       POST /api/v1/care/benefits          committee.admin; unique name → row, journal
  quiz          POST /api/v1/quizzes/{id}/submit    riders → attempt handed in, its credit entry
  redemption    POST /api/v1/me/credits/redeem      riders; unique key, cost 1
                → care_redemptions row and the credit entry under that key
  course        POST /api/v1/courses/{id}/complete  riders → course_reach completed
And every credit account's balance must be the sum of its entries.
"""
import datetime, json, os, random, re, signal, sqlite3, subprocess, sys, threading, time
import urllib.error, urllib.parse, urllib.request, uuid

PASSWORD = "Demo@Shenzhen2026"
BRANCH = "腾讯数据平台部第三党支部"  # tencent.secretary's branch
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# The writes journaled by the server: kind -> the journal's entity (entity_id = the record's id).
JOURNALED = {"person": "person", "backbone": "person", "dossier": "dossier", "contact": "contact_link",
             "meeting": "meeting", "training": "training_class", "benefit": "care_benefit"}


def today():
    """The server's day (it keeps China time)."""
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date().isoformat()


def id_card(used):
    """A new 18-character ID number with its GB 11643 check digit."""
    while True:
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=random.randint(0, 12000))
        body = "440305" + birth.strftime("%Y%m%d") + "%03d" % random.randint(0, 999)
        if body not in used:
            used.add(body)
            return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Client:
    """One signed-in session: the session cookie and its CSRF token (sent as X-CSRF-Token)."""

    def __init__(self, base, cookie=None, csrf=""):
        self.base, self.cookie, self.csrf = base, cookie, csrf

    @classmethod
    def sign_in(cls, base, username):
        c = cls(base)
        form = urllib.parse.urlencode({"username": username, "password": PASSWORD}).encode()
        status, _ = c.call("POST", "/login", form, "application/x-www-form-urlencoded")
        if not c.cookie:
            raise SystemExit(f"sign-in as {username} failed ({status})")
        page = c.call("GET", "/account/password")[1]
        c.csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        return c

    def call(self, method, path, data=None, content_type=None):
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if self.cookie:
            req.add_header("Cookie", self.cookie)
        if content_type:
            req.add_header("Content-Type", content_type)
        if method != "GET" and self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        try:
            res = OPENER.open(req, timeout=15)
        except urllib.error.HTTPError as e:
            res = e
        body = res.read().decode()
        set_cookie = res.headers.get("Set-Cookie") or ""
        if set_cookie.startswith("pioneer_session="):
            self.cookie = set_cookie.split(";")[0]
        return res.status, body

    def api(self, method, path, body=None):
        """(status, JSON answer); status 0 when the server did not answer at all."""
        try:
            data = json.dumps(body).encode() if body is not None else None
            status, text = self.call(method, path, data, "application/json" if data else None)
            return status, (json.loads(text) if text else None)
        except (OSError, ValueError, urllib.error.URLError):
            return 0, None


class Load:
    """The shared record of what was sent and what was acknowledged."""

    def __init__(self, base, tag):
        self.base, self.tag = base, tag
        self.lock = threading.Lock()
        self.acked = []            # every acknowledged write: {"kind": ..., ...}
        self.statuses = {}         # kind -> {status: count}
        self.stop = threading.Event()
        self.cut = threading.Event()  # set when LazyFS has gone (the server still runs a second)
        self.after_cut = {}           # status -> count of the answers given after that
        self.used_ids = set()
        self.n = 0

    def unique(self):
        with self.lock:
            self.n += 1
            return f"{self.tag}-{self.n}"

    def send(self, client, kind, method, path, body=None):
        """Sends one write; on a 2xx answer returns the answer (the caller records the write)."""
        status, answer = client.api(method, path, body)
        with self.lock:
            counts = self.after_cut if self.cut.is_set() else self.statuses.setdefault(kind, {})
            counts[str(status)] = counts.get(str(status), 0) + 1
        return answer if 200 <= status < 300 and answer is not None else None

    def ack(self, **record):
        with self.lock:
            self.acked.append(record)


def registrar(load, c, orgs):
    """organiser: people in random branches, and a dossier for every other one of them."""
    while not load.stop.is_set():
        name = "断电" + load.unique()
        body = {"name": name, "id_card": id_card(load.used_ids), "ethnicity": "汉族", "education": "bachelor",
                "worker_category": "platform_staff", "status": "non_member", "org_id": random.choice(orgs)}
        r = load.send(c, "person", "POST", "/api/v1/people", body)
        if r:
            load.ack(kind="person", id=r["id"], name=name)
            if random.random() < 0.5 and not load.stop.is_set():
                d = load.send(c, "dossier", "POST", "/api/v1/dossiers", {"person_id": r["id"]})
                if d:
                    load.ack(kind="dossier", id=d["id"], person=r["id"])


def secretary(load, c, branch, members):
    """tencent.secretary: contacts with a visit, meetings with attendance, training classes."""
    kinds = ["party_lecture", "committee_meeting", "general_meeting", "group_meeting"]
    while not load.stop.is_set():
        step = random.choice(["contact", "meeting", "training"])
        if step == "contact":
            name = "骨干" + load.unique()
            body = {"name": name, "id_card": id_card(load.used_ids), "ethnicity": "汉族", "education": "bachelor",
                    "worker_category": "platform_staff", "status": "non_member", "org_id": branch,
                    "is_backbone": True}
            p = load.send(c, "backbone", "POST", "/api/v1/people", body)
            if not p:
                continue
            load.ack(kind="backbone", id=p["id"], name=name)
            link = load.send(c, "contact", "POST", f"/api/v1/contacts?org={branch}",
                             {"person_id": p["id"], "member_id": random.choice(members), "cadence_days": "30"})
            if not link:
                continue
            load.ack(kind="contact", id=link["id"], person=p["id"])
            note = "谈心 " + load.unique()
            if load.send(c, "visit", "POST", f"/api/v1/contacts/{link['id']}/visits", {"on": today(), "note": note}):
                load.ack(kind="visit", link=link["id"], note=note)
        elif step == "meeting":
            marks = [{"person_id": p, "mark": random.choice(["present", "online", "leave"])}
                     for p in random.sample(members, min(3, len(members)))]
            body = {"kind": random.choice(kinds), "held_on": today(), "topic": "断电测试 " + load.unique(),
                    "speaker": "赵重庆", "minutes": "纪要", "attendance": marks}
            m = load.send(c, "meeting", "POST", f"/api/v1/meetings?org={branch}", body)
            if m:
                load.ack(kind="meeting", id=m["id"], attendance=len(marks))
        else:
            body = {"kind": "target", "title": "断电培训 " + load.unique(), "starts_on": "2026-11-02",
                    "ends_on": "2026-11-04", "days": "3", "hours": "24"}
            t = load.send(c, "training", "POST", f"/api/v1/training?org={branch}", body)
            if not t:
                continue
            load.ack(kind="training", id=t["id"])
            for p in random.sample(members, min(2, len(members))):
                if load.stop.is_set():
                    break
                if load.send(c, "attendance", "POST", f"/api/v1/training/{t['id']}/attendance",
                             {"person_id": p, "hours": 24, "passed": True}):
                    load.ack(kind="attendance", class_id=t["id"], person=p)


def care(load, c):
    """committee.admin: new care benefits."""
    while not load.stop.is_set():
        name = "断电礼包" + load.unique()
        b = load.send(c, "benefit", "POST", "/api/v1/care/benefits", {"name": name, "cost": 5, "stock": 10})
        if b:
            load.ack(kind="benefit", id=b["id"], name=name)


def riders(load, base, lines, pack, courses):
    """Generated riders, one after another: hand in the started quiz (credits), redeem the
    cost-1 pack once per credit, complete a course (credits)."""
    for token, csrf, quiz, attempt, questions in lines:
        if load.stop.is_set():
            return
        c = Client(base, "pioneer_session=" + token, csrf)
        sheet = {"attempt": attempt, "answers": [{"question": int(q), "options": [random.randint(0, 1)]}
                                                 for q in questions.split(",")]}
        r = load.send(c, "quiz", "POST", f"/api/v1/quizzes/{quiz}/submit", sheet)
        if not r:
            continue
        load.ack(kind="quiz", attempt=attempt, quiz=quiz, credited=r.get("credited", 0))
        for _ in range(min(int(r.get("credited") or 0), 6)):
            if load.stop.is_set():
                return
            key = "crash-" + load.unique()
            if load.send(c, "redemption", "POST", "/api/v1/me/credits/redeem", {"benefit": pack, "key": key}):
                load.ack(kind="redemption", key="redeem-" + key, attempt=attempt)
        if courses and not load.stop.is_set():
            course = random.choice(courses)
            if load.send(c, "course", "POST", f"/api/v1/courses/{course}/complete", {}):
                load.ack(kind="course", course=course, attempt=attempt)


def lazyfs(fifo, done, command, wait=0):
    """Sends LazyFS a command. Its fault thread reads commands only once something reads its
    `done` fifo, so that is opened first (and kept open); with `wait`, waits up to that many
    seconds for what it writes there and returns it."""
    reader = os.open(done, os.O_RDONLY | os.O_NONBLOCK)
    with open(fifo, "w") as f:
        f.write(command + "\n")
    got, deadline = b"", time.time() + wait
    while wait and b"\n" not in got and time.time() < deadline:
        try:
            got += os.read(reader, 256)
        except BlockingIOError:
            pass
        time.sleep(0.01)
    return got.decode().strip()


def alive(pid):
    """Whether the process runs (a zombie, killed but not yet reaped by its parent, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def load_main(args):
    base, out = args[0], args[1]
    opts = dict(zip(args[2::2], args[3::2]))
    cut = opts["--cut"]
    seconds = float(opts.get("--seconds") or random.uniform(2, 6))
    load = Load(base, f"{os.getpid()}")
    organiser = Client.sign_in(base, "organiser")
    sec = Client.sign_in(base, "tencent.secretary")
    admin = Client.sign_in(base, "committee.admin")
    orgs = organiser.api("GET", "/api/v1/organizations")[1]
    branch = next(o["id"] for o in orgs if o["name"] == BRANCH)
    places = [o["id"] for o in orgs if o["kind"] in ("branch", "mobile_branch")][:12]
    people = sec.api("GET", f"/api/v1/people?org={branch}&status=full_member")[1]["items"]
    members = [p["id"] for p in people if p["status"] == "full_member"]
    # The riders' pack: cost 1 and plenty in stock (itself an acknowledged write).
    pack = load.send(admin, "benefit", "POST", "/api/v1/care/benefits",
                     {"name": "断电关爱包" + load.unique(), "cost": 1, "stock": 1000000})
    if not pack:
        sys.exit(f"could not create the riders' pack: {load.statuses}")
    load.ack(kind="benefit", id=pack["id"], name=None)
    lines = [l.rstrip("\n").split("\t") for l in open(opts["--riders"])] if opts.get("--riders") else []
    courses = []
    if lines:
        first = Client(base, "pioneer_session=" + lines[0][0], lines[0][1])
        courses = [i["course"]["id"] for i in (first.api("GET", "/api/v1/courses")[1] or {"items": []})["items"]]
    random.shuffle(lines)
    threads = [threading.Thread(target=registrar, args=(load, organiser, places), daemon=True),
               threading.Thread(target=secretary, args=(load, sec, branch, members), daemon=True),
               threading.Thread(target=care, args=(load, admin), daemon=True)]
    for part in (lines[0::2], lines[1::2]):
        threads.append(threading.Thread(target=riders, args=(load, base, part, pack["id"], courses), daemon=True))
    started = time.time()
    for t in threads:
        t.start()
    time.sleep(seconds)
    note = ""
    if cut == "fsync":
        # LazyFS kills itself just before the next fsync of the WAL; the server sees its file
        # system go (EIO / ENOTCONN) in the middle of a commit. Then the server goes too.
        lazyfs(opts["--fifo"], opts["--done-fifo"], "lazyfs::crash::timing=before::op=fsync::from_rgx=pioneer.sqlite3-wal")
        pid, deadline = int(opts["--lazyfs-pid"]), time.time() + 10
        while alive(pid) and time.time() < deadline:
            time.sleep(0.01)
        if alive(pid):
            note = "no WAL fsync within 10 s"
        else:
            # What does the server answer without its file system? (Every 2xx is checked too.)
            load.cut.set()
            time.sleep(1)
            note = "lazyfs crashed at a WAL fsync; answers in the second after: " + (
                ", ".join(f"{k}: {v}" for k, v in sorted(load.after_cut.items())) or "none")
    try:
        os.kill(int(opts["--server-pid"]), signal.SIGKILL)
    except ProcessLookupError:
        note += "; the server had ended before the kill"
    cut_at = time.time() - started
    load.stop.set()
    for t in threads:
        t.join(timeout=30)
    if cut == "clear":
        # The power cut: every byte not fsynced is thrown away; wait until LazyFS has done it.
        done = lazyfs(opts["--fifo"], opts["--done-fifo"], "lazyfs::clear-cache", wait=60)
        note = ("power cut: unsynced data dropped" if done == "finished::clear-cache" else "clear-cache unconfirmed") + note
    with open(out, "w") as f:
        json.dump({"seconds": round(cut_at, 2), "note": note, "statuses": load.statuses, "acked": load.acked}, f)
    kinds = {}
    for r in load.acked:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"cut after {cut_at:.1f} s ({note or cut}); acknowledged {len(load.acked)}: "
          + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print("answers by kind: " + "; ".join(f"{k} {v}" for k, v in sorted(load.statuses.items())))


class Db:
    """Read-only queries on SQLite (UUIDs as 16-byte BLOBs) or PostgreSQL (through psql)."""

    def __init__(self, sqlite_path=None, postgres_url=None):
        self.url = postgres_url
        self.conn = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True) if sqlite_path else None

    def lit(self, u):
        return f"'{u}'::uuid" if self.url else f"X'{uuid.UUID(u).hex}'"

    @staticmethod
    def text(v):
        if isinstance(v, bytes) and len(v) == 16:
            return str(uuid.UUID(bytes=v))
        return "" if v is None else str(v)

    def rows(self, sql):
        if self.conn:
            return [tuple(self.text(v) for v in row) for row in self.conn.execute(sql)]
        out = subprocess.run(["psql", self.url, "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines()]

    def where_in(self, sql, ids):
        """Rows of `sql` (with {ids} for a list of UUID literals), 500 ids at a time."""
        ids, found = sorted(set(ids)), []
        for i in range(0, len(ids), 500):
            found += self.rows(sql.format(ids=", ".join(self.lit(u) for u in ids[i:i + 500])))
        return found

    def where_in_text(self, sql, keys):
        keys, found = sorted(set(keys)), []
        for i in range(0, len(keys), 500):
            found += self.rows(sql.format(keys=", ".join("'" + k.replace("'", "''") + "'" for k in keys[i:i + 500])))
        return found


def missing_writes(db, acked):
    """Each acknowledged write that is not in the database, with the reason."""
    by = {}
    for r in acked:
        by.setdefault(r["kind"], []).append(r)
    missing = []

    def ids(kind, field="id"):
        return [r[field] for r in by.get(kind, [])]

    # Rows that carry the record's own id (and its name where we chose one).
    tables = {"person": "people", "backbone": "people", "dossier": "dossiers", "contact": "contact_links",
              "meeting": "meetings", "training": "training_classes", "benefit": "care_benefits"}
    for kind, table in tables.items():
        name = ", name" if table in ("people", "care_benefits") else ""
        have = {row[0]: row[1:] for row in db.where_in(f"SELECT id{name} FROM {table} WHERE id IN ({{ids}})", ids(kind))}
        for r in by.get(kind, []):
            if r["id"] not in have:
                missing.append((kind, r, f"no row in {table}"))
            elif r.get("name") and have[r["id"]][0] != r["name"]:
                missing.append((kind, r, f"name is {have[r['id']][0]!r}"))
    # Their journal entries (written in the same transaction as the record).
    for kind, entity in JOURNALED.items():
        have = {row[0] for row in db.where_in(
            f"SELECT entity_id FROM journal WHERE entity = '{entity}' AND entity_id IN ({{ids}})", ids(kind))}
        missing += [(kind, r, "no journal entry") for r in by.get(kind, []) if r["id"] not in have]
    # A meeting's attendance marks.
    marks = {}
    for (m,) in db.where_in("SELECT meeting_id FROM meeting_attendance WHERE meeting_id IN ({ids})", ids("meeting")):
        marks[m] = marks.get(m, 0) + 1
    missing += [("meeting", r, "attendance lost") for r in by.get("meeting", [])
                if r["id"] in marks and marks[r["id"]] != r["attendance"]]
    # A class's attendance, a contact's visit.
    have = set(db.where_in("SELECT class_id, person_id FROM training_attendance WHERE class_id IN ({ids})",
                           ids("attendance", "class_id")))
    missing += [("attendance", r, "no row") for r in by.get("attendance", []) if (r["class_id"], r["person"]) not in have]
    have = set(db.where_in("SELECT link_id, note FROM contact_visits WHERE link_id IN ({ids})", ids("visit", "link")))
    missing += [("visit", r, "no row") for r in by.get("visit", []) if (r["link"], r["note"]) not in have]
    # A handed-in quiz: the attempt submitted, and its credits when some were credited.
    submitted = {row[0]: row[1] for row in db.where_in(
        "SELECT id, member_id FROM quiz_attempts WHERE submitted_at IS NOT NULL AND id IN ({ids})", ids("quiz", "attempt"))}
    member = {row[0]: row[1] for row in db.where_in(
        "SELECT id, member_id FROM quiz_attempts WHERE id IN ({ids})",
        ids("quiz", "attempt") + ids("redemption", "attempt") + ids("course", "attempt"))}
    entries = set(db.where_in(
        "SELECT member_id, idempotency_key FROM credit_entries WHERE member_id IN ({ids})", list(member.values())))
    for r in by.get("quiz", []):
        if r["attempt"] not in submitted:
            missing.append(("quiz", r, "attempt not handed in"))
        elif r["credited"] and (member[r["attempt"]], "quiz-" + r["quiz"]) not in entries:
            missing.append(("quiz", r, "no credit entry"))
    # A redemption: its row and its (negative) credit entry, under the same key.
    redeemed = set(db.where_in_text(
        "SELECT member_id, entry_key FROM care_redemptions WHERE entry_key IN ({keys})", ids("redemption", "key")))
    for r in by.get("redemption", []):
        who = member.get(r["attempt"])
        if (who, r["key"]) not in redeemed:
            missing.append(("redemption", r, "no redemption row"))
        if (who, r["key"]) not in entries:
            missing.append(("redemption", r, "no credit entry"))
    # A completed course.
    done = set(db.where_in("SELECT course_id, member_id FROM course_reach WHERE completed_at IS NOT NULL AND "
                           "course_id IN ({ids})", ids("course", "course")))
    missing += [("course", r, "not completed") for r in by.get("course", [])
                if (r["course"], member.get(r["attempt"])) not in done]
    return missing


def verify_main(args):
    acks = json.load(open(args[0]))
    db = Db(sqlite_path=args[2]) if args[1] == "--sqlite" else Db(postgres_url=args[2])
    acked = acks["acked"]
    missing = missing_writes(db, acked)
    lost = {id(r) for _, r, _ in missing}
    # Every credit account's balance is the sum of its entries.
    ledger_bad = db.rows("SELECT a.member_id FROM credit_accounts a LEFT JOIN credit_entries e ON "
                         "e.member_id = a.member_id GROUP BY a.member_id, a.balance "
                         "HAVING a.balance <> COALESCE(SUM(e.amount), 0)")
    print(f"acked={len(acked)} found={len(acked) - len(lost)} missing={len(lost)} ledger_bad={len(ledger_bad)}")
    kinds = {}
    for r in acked:
        k = kinds.setdefault(r["kind"], [0, 0])
        k[0] += 1
        k[1] += id(r) not in lost
    print("found/acked by kind: " + ", ".join(f"{k} {f}/{n}" for k, (n, f) in sorted(kinds.items())))
    for kind, r, why in missing[:50]:
        print(f"MISSING {kind}: {why}: {json.dumps(r, ensure_ascii=False)}")
    for (m,) in ledger_bad[:20]:
        print(f"LEDGER balance is not the sum of the entries: member {m}")


if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in ("load", "verify"):
        sys.exit(__doc__)
    (load_main if sys.argv[1] == "load" else verify_main)(sys.argv[2:])
