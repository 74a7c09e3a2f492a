#!/usr/bin/env bash
# The casework service end to end with curl, from a fresh clone (after `pip install -e .`):
# add two users, open a case from examples/seeds, set a fact, read the assessment, move it to
# review, have the other user sign it off, publish it, find it with `ombuds search`, and print
# its history. Uses its own database in a temporary folder (or WORK=folder) and a free port.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${WORK:-$(mktemp -d)}
export OMBUDS_DB="$WORK/office.db" OMBUDS_INDEX="$WORK/office.index"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
API="http://127.0.0.1:$PORT/api"
SEED=examples/seeds/24-022-031.yaml

# A field of the JSON on standard input, by dotted path (points.0.facts).
field() { python3 -c 'import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1].split("."): d = d[int(k) if k.isdigit() else k]
print(d)' "$1"; }
call() { curl -sS --fail-with-body "$@"; }

echo "== two users: ann assesses, rob reviews"
printf 'ann-password-1\n' | ombuds users add ann --role assessor --password-stdin
printf 'rob-password-1\n' | ombuds users add rob --role reviewer --password-stdin
ANN="Authorization: Bearer $(ombuds users token ann)"
ROB="Authorization: Bearer $(ombuds users token rob)"

echo "== ombuds serve on 127.0.0.1:$PORT"
ombuds serve --port "$PORT" 2>"$WORK/serve.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$API/health" >/dev/null && break; sleep 0.2; done

echo "== open a case from $SEED"
python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))' \
  "$SEED" >"$WORK/case.json"
CASE=$(call -H "$ANN" -H 'Content-Type: application/json' --data @"$WORK/case.json" "$API/cases")
ID=$(echo "$CASE" | field id)
echo "case $ID: $(echo "$CASE" | field reference), $(echo "$CASE" | field status)"

echo "== set a fact on point e (If-Match: the ETag just read)"
ETAG=$(curl -sS -o /dev/null -D - -H "$ANN" "$API/cases/$ID" | tr -d '\r' | sed -n 's/^etag: //Ip')
call -X PATCH -H "$ANN" -H "If-Match: $ETAG" -H 'Content-Type: application/json' \
  -d '{"point": "e", "facts": {"body_investigated_complaint": true}}' \
  "$API/cases/$ID/facts" | field document.points.4.facts

echo "== the assessment"
ASSESSMENT=$(call -H "$ANN" "$API/cases/$ID/assessment")
echo "recommendation: $(echo "$ASSESSMENT" | field decision_label); tests: $(echo "$ASSESSMENT" | field tests)"

move() { # who, state
  call -H "$1" -H 'Content-Type: application/json' -d "{\"to\": \"$2\"}" \
    "$API/cases/$ID/transitions" | field status
}
echo "== ann assesses, drafts and sends it for review"
move "$ANN" assessment
move "$ANN" draft
call -H "$ANN" -H 'Content-Type: application/json' -d '{}' "$API/cases/$ID/draft" | field drafted_by
move "$ANN" review
echo "== ann cannot sign off her own draft; rob signs it off and publishes"
curl -sS -H "$ANN" -H 'Content-Type: application/json' -d '{"to": "decided"}' \
  "$API/cases/$ID/transitions" | field detail
move "$ROB" decided
move "$ROB" published

echo "== ombuds search finds the published decision"
ombuds search "$(echo "$CASE" | field reference)" --json | field hits.0.reference

echo "== history"
call -H "$ROB" "$API/cases/$ID/history" | python3 -c 'import json, sys
for e in json.load(sys.stdin):
    print(e["at"][:19], e["actor"], e["action"], json.dumps(e["after"])[:70])'
