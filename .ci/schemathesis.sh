#!/usr/bin/env bash
# Property-based tests of /api/v1 against its own OpenAPI document: schemathesis sends
# generated requests to every operation of the demo deployment, signed in as
# committee.admin, once on SQLite and once on PostgreSQL, and fails on any 5xx, any status
# the document does not list and any response body that does not match its schema.
#
# Usage: .ci/schemathesis.sh [sqlite|postgres]...   (default: both)
# Environment: PIONEER_ST_EXAMPLES (examples per operation, default 50), PIONEER_ST_SEED
# (hypothesis's seed, default a fixed one so that CI runs repeat), PIONEER_ST_ARGS (more
# arguments for `st run`, e.g. `-D all` for invalid data too),
# PIONEER_TEST_POSTGRES_URL (a database on the cluster to use; a fresh one is created
# beside it and dropped), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
examples=${PIONEER_ST_EXAMPLES:-50}
seed=${PIONEER_ST_SEED:-20261206}
pg_url=${PIONEER_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
target=${CARGO_TARGET_DIR:-$root/target}
venv=$target/schemathesis-venv
# schemathesis 3.39 needs a hypothesis from before 6.131 (`many.more` went away then).
st_version=3.39.16
hypothesis_version=6.130.13
backends=("$@")
((${#backends[@]})) || backends=(sqlite postgres)

if ! python3 -c 'import ensurepip' 2>/dev/null; then
  echo "installing: python3-venv"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
if [[ ! -x $venv/bin/st ]] || [[ $("$venv/bin/st" --version 2>/dev/null) != *"$st_version"* ]]; then
  echo "installing schemathesis $st_version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$st_version" "hypothesis==$hypothesis_version"
fi
"$venv/bin/st" --version

cargo build --locked -q -p pioneer
bin=$target/debug/pioneer

work=$(mktemp -d)
server=
pg_db=
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [[ -n $pg_db ]]; then psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The hooks: real ids for `{id}`, `?org=` and `?branch=` beside generated ones (else nearly
# every request would be a 404); bodies the handlers may accept beside generated ones (else
# nearly every write would be refused), tables for the imports among them; a serializer for
# the imports' CSV bodies; and a count of the requests sent.
cat >"$work/hooks.py" <<'EOF'
import csv
import datetime
import io
import json
import os

import schemathesis
from hypothesis import strategies as st

IDS = json.load(open(os.environ["PIONEER_ST_IDS"]))
CALLS = os.environ["PIONEER_ST_CALLS"]


def _kind(path):
    for prefix, kind in (("/api/v1/organizations/", "orgs"), ("/api/v1/people/", "people"),
                         ("/api/v1/dossiers/", "dossiers"), ("/api/v1/orgs/", "orgs"),
                         ("/api/v1/dues/people/", "people")):
        if path.startswith(prefix + "{id}"):
            return kind
    return None


@schemathesis.hook
def before_generate_path_parameters(context, strategy):
    ids = IDS.get(_kind(context.operation.path) or "", [])
    if not ids:
        return strategy
    return strategy.flatmap(
        lambda p: st.one_of(st.just(p), st.sampled_from(ids).map(lambda i: {**p, "id": i})))


def _id_card(birth, serial):
    """A valid 18-character ID number (GB 11643) born on `birth` (YYYYMMDD)."""
    body = f"440305{birth}{serial:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


_days = st.dates(min_value=datetime.date(2019, 1, 1),
                 max_value=datetime.date(2026, 11, 30)).map(str)
_text = st.text(alphabet="支部党委一二三四五六七八九十科技公司abcXYZ -", min_size=1, max_size=30)


def _person():
    return st.fixed_dictionaries({
        "name": _text,
        "id_card": st.builds(_id_card, st.dates(min_value=datetime.date(1960, 1, 1),
                                                max_value=datetime.date(2005, 12, 31))
                             .map(lambda d: d.strftime("%Y%m%d")), st.integers(0, 999)),
        "ethnicity": st.sampled_from(["汉族", "壮族", "回族"]),
        "education": st.sampled_from(["senior_secondary", "junior_college", "bachelor", "master"]),
        "worker_category": st.sampled_from(["rider", "courier", "platform_staff", "other"]),
        "status": st.just("non_member"),
        "org_id": st.sampled_from(IDS["orgs"] or ["x"]),
        "phone": st.sampled_from(["", "13800138000", "13912345678"]),
    })


# Bodies that the handlers may accept (random ones are nearly always refused), mixed with the
# generated ones so that the answers to successful writes are checked too.
_VALID = {
    ("POST", "/api/v1/organizations"): lambda: st.fixed_dictionaries({
        "name": _text, "kind": st.sampled_from(["branch", "general_branch", "committee"]),
        "parent_id": st.sampled_from(IDS["orgs"] or ["x"])}),
    ("PUT", "/api/v1/organizations/{id}"): lambda: st.fixed_dictionaries({
        "name": _text, "kind": st.sampled_from(["branch", "general_branch", "committee"])}),
    ("POST", "/api/v1/organizations/{id}/move"): lambda: st.fixed_dictionaries({
        "parent_id": st.sampled_from(IDS["orgs"] or ["x"])}),
    ("POST", "/api/v1/organizations/{id}/close"): lambda: st.fixed_dictionaries({
        "closed_on": st.one_of(st.none(), _days)}),
    ("POST", "/api/v1/people"): _person,
    ("PUT", "/api/v1/people/{id}"): _person,
    ("POST", "/api/v1/dossiers"): lambda: st.fixed_dictionaries({
        "person_id": st.sampled_from(IDS["people"] or ["x"])}),
    ("POST", "/api/v1/dossiers/{id}/events"): lambda: st.fixed_dictionaries({
        "kind": st.sampled_from(["application_letter", "talk", "activist_chosen", "notice", "transfer"]),
        "on": _days, "fields": st.just({}), "backfill": st.booleans()}),
    ("POST", "/api/v1/people/{id}/departure"): lambda: st.fixed_dictionaries({
        "departure_kind": st.sampled_from(["died", "withdrew", "persuaded", "removed", "expelled"]),
        "left_on": _days, "departure_note": st.sampled_from(["", "深组发〔2026〕1号"])}),
    ("POST", "/api/v1/people/{id}/discipline"): lambda: st.fixed_dictionaries({
        "discipline_from": _days, "discipline_until": _days, "discipline_decision": _text}),
}


def _tables(*names):
    folder = os.path.dirname(os.environ["PIONEER_ST_IDS"])
    return [open(os.path.join(folder, n), encoding="utf-8-sig").read() for n in names]


def _changed(text, edits):
    """The CSV `text` with some cells replaced: (row, column, value) taken modulo its size."""
    rows = list(csv.reader(io.StringIO(text)))
    for r, c, value in edits:
        row = rows[r % len(rows)]
        if row:
            row[c % len(row)] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def _table(*names):
    cell = st.one_of(st.text(max_size=20), st.sampled_from(["", "2024-02-30", "1", "是", "talk"]))
    return lambda: st.builds(_changed, st.sampled_from(_tables(*names)),
                             st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99), cell), max_size=4))


_VALID[("POST", "/api/v1/people/import")] = _table("roster.csv", "roster-template.csv")
_VALID[("POST", "/api/v1/dossiers/import")] = _table("dossier-template.csv")


@schemathesis.hook
def before_generate_body(context, strategy):
    valid = _VALID.get((context.operation.method.upper(), context.operation.path))
    return st.one_of(strategy, valid()) if valid else strategy


@schemathesis.hook
def before_generate_query(context, strategy):
    """Real organisations for ?org= and ?branch= half of the time."""
    orgs = IDS.get("orgs", [])
    if not orgs:
        return strategy

    def real(query):
        names = [n for n in ("org", "branch") if n in (query or {})]
        if not names:
            return st.just(query)
        return st.one_of(st.just(query), st.sampled_from(orgs).map(lambda o: {**query, names[0]: o}))

    return strategy.flatmap(real)


@schemathesis.hook
def after_call(context, case, response):
    with open(CALLS, "a") as f:
        f.write(f"{case.operation.method.upper()} {case.operation.path} {response.status_code}\n")


@schemathesis.serializer("text/csv")
class CsvSerializer:
    def _bytes(self, value):
        return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()

    def as_requests(self, context, value):
        return {"data": self._bytes(value)}

    def as_werkzeug(self, context, value):
        return {"data": self._bytes(value)}
EOF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

failed=()
for backend in "${backends[@]}"; do
  echo
  echo "--- schemathesis on $backend ($examples examples per operation, seed $seed)"
  data=$work/$backend
  mkdir -p "$data"
  case $backend in
    sqlite) database=sqlite:$data/pioneer.sqlite3 ;;
    postgres)
      pg_db=pioneer_st_$$
      PGOPTIONS='-c client_min_messages=warning' psql -q "$pg_url" \
        -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db" >/dev/null
      database=${pg_url%/*}/$pg_db
      ;;
    *) echo "unknown backend $backend"; exit 2 ;;
  esac
  port=$(free_port)
  base=http://127.0.0.1:$port
  "$bin" --data-dir "$data" --database "$database" --log warn serve --demo --listen "127.0.0.1:$port" \
    >"$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -sf "$base/healthz" >/dev/null && break; sleep 1; done
  curl -sf "$base/healthz" >/dev/null || { cat "$data/server.log"; echo "the server did not start"; exit 1; }

  # Sign in as a browser does; the CSRF token is on any signed-in page's form.
  session=$(curl -s -o /dev/null -D - "$base/login" --data-urlencode username=committee.admin \
    --data-urlencode 'password=Demo@Shenzhen2026' | tr -d '\r' | sed -n 's/^set-cookie: pioneer_session=\([^;]*\);.*/\1/Ip')
  [[ -n $session ]] || { echo "sign-in failed"; exit 1; }
  csrf=$(curl -s -b "pioneer_session=$session" "$base/account/password" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  [[ -n $csrf ]] || { echo "no CSRF token on /account/password"; exit 1; }
  get() { curl -sf -b "pioneer_session=$session" "$base$1"; }
  {
    echo '{"orgs":'; get /api/v1/organizations | python3 -c 'import json,sys; print(json.dumps([o["id"] for o in json.load(sys.stdin)][:40]))'
    echo ',"people":'; get '/api/v1/people?page=1' | python3 -c 'import json,sys; print(json.dumps([p["id"] for p in json.load(sys.stdin)["items"]][:40]))'
    echo ',"dossiers":'; get /api/v1/dossiers | python3 -c 'import json,sys; print(json.dumps([d["id"] for d in json.load(sys.stdin)["items"]][:40]))'
    echo '}'
  } >"$data/ids.json"
  # Tables for the imports: the templates, and a branch's roster as exported (importing it
  # again changes nothing); the hook sends them as they are and with cells changed.
  branch=$(get /api/v1/organizations | python3 -c 'import json,sys; print(next(o["id"] for o in json.load(sys.stdin) if o["kind"] == "branch"))')
  get '/people/roster/template?format=csv' >"$data/roster-template.csv"
  get "/people/roster?org=$branch&format=csv" >"$data/roster.csv"
  get '/dossiers/import/template?format=csv' >"$data/dossier-template.csv"
  calls=$data/calls.txt
  : >"$calls"

  status=0
  (cd "$data" && PIONEER_ST_IDS=$data/ids.json PIONEER_ST_CALLS=$calls SCHEMATHESIS_HOOKS=hooks \
    PYTHONPATH=$work "$venv/bin/st" run "$base/api/v1/openapi.json" \
    --experimental=openapi-3.1 --experimental-no-failfast \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    -H "Cookie: pioneer_session=$session" -H "X-CSRF-Token: $csrf" \
    --hypothesis-max-examples "$examples" --hypothesis-seed "$seed" --hypothesis-database none \
    --request-timeout 30000 --show-trace ${PIONEER_ST_ARGS:-}) >"$data/st.log" 2>&1 || status=$?
  grep -v '^$' "$data/st.log" | sed -n '/^=* \(FAILURES\|ERRORS\) =*$/,$p'
  sed -n '/^Performed checks:/,/^[A-Z=]/p' "$data/st.log" | grep -E '^ +[a-z_]+ +[0-9]+ / [0-9]+' || true
  operations=$(sed -n 's/^Collected API operations: \([0-9]*\).*/\1/p' "$data/st.log")
  requests=$(wc -l <"$calls")
  failures=$(grep -cE '^_+ [A-Z]+ /' "$data/st.log" || true)
  echo "$backend: operations $operations, requests $requests, operations failed or errored $failures, exit $status"
  echo "$backend: responses by status: $(awk '{print $3}' "$calls" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
  awk '{n[$1" "$2]++; s[$1" "$2]=s[$1" "$2]" "$3} END {for (k in n) print k}' "$calls" | sort | while read -r m p; do
    echo "  $m $p: $(awk -v m="$m" -v p="$p" '$1==m && $2==p {print $3}' "$calls" | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
  done
  if grep -q ' 5[0-9][0-9]$' "$calls"; then
    echo "$backend: server errors:"; grep ' 5[0-9][0-9]$' "$calls" | sort | uniq -c
  fi

  kill "$server"; wait "$server" 2>/dev/null || true; server=
  if [[ $backend == postgres ]]; then
    psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null; pg_db=
  fi
  if ((status != 0)) || ((requests == 0)); then failed+=("$backend"); fi
done

if ((${#failed[@]})); then
  echo "schemathesis failed on: ${failed[*]}"
  exit 1
fi
echo "schemathesis passed on: ${backends[*]}"
