#!/usr/bin/env bash
# Fuzz the REST API with schemathesis (coverage and fuzzing phases, bounded): any server error fails.
# Loads the demo district into a fresh database, serves it on a free port and calls the API with the
# token of the demo administrator; the path parameters are mostly drawn from the codes and ids of
# that database, so that the operations reach their code rather than a 404.
#   FUZZ_EXAMPLES  examples per operation in the fuzzing phase (default 10)
#   DANGVU_DATABASE_URL  an empty database to use; SQLite in a temporary folder otherwise
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
work="$(mktemp -d)"
export DANGVU_DATA_DIR="$work/data" DANGVU_LOG_LEVEL=ERROR
server=""
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
start=$(date +%s)

"$BIN/dangvu" demo --no-serve >/dev/null

# The token of the demo administrator, and the codes and ids that the path parameters draw from.
"$BIN/python" -m django shell --settings=dangvu.settings -v 0 -c '
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from dangvu.admission.models import Candidate
from dangvu.lifecycle.models import Transfer
from dangvu.members.models import Member
from dangvu.organizations.models import Organization
token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username="admin"))
def some(model, field):
    return list(model.objects.order_by("pk").values_list(field, flat=True)[:100]) or [0]
print(token.key, file=open("'"$work"'/token", "w"))
print(f"""[dictionaries]
members = {{ values = {json.dumps(some(Member, "code"))} }}
organizations = {{ values = {json.dumps(some(Organization, "code"))} }}
candidates = {{ values = {json.dumps(some(Candidate, "pk"))} }}
transfers = {{ values = {json.dumps(some(Transfer, "pk"))} }}
[parameters]
"path.code" = {{ dictionary = "members", probability = 0.9 }}
"path.id" = {{ dictionary = "candidates", probability = 0.9 }}
"query.org" = {{ dictionary = "organizations", probability = 0.9 }}
[[operations]]
include-path-regex = "^/api/organizations/"
parameters = {{ "path.code" = {{ dictionary = "organizations", probability = 0.9 }} }}
[[operations]]
include-path-regex = "^/api/lifecycle/transfers/"
parameters = {{ "path.id" = {{ dictionary = "transfers", probability = 0.9 }} }}""", file=open("'"$work"'/schemathesis.toml", "w"))
'
token="$(cat "$work/token")"

port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$BIN/dangvu" serve --port "$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -sf -o "$work/schema.json" -H "Authorization: Token $token" "$base/api/schema/?format=json" && break
  sleep 1
done
[ -s "$work/schema.json" ] || { echo "fuzz-api: the server did not answer"; cat "$work/server.log"; exit 1; }

status=0
"$BIN/st" --config-file "$work/schemathesis.toml" run "$work/schema.json" --url "$base" \
  -H "Authorization: Token $token" --phases coverage,fuzzing --max-examples "${FUZZ_EXAMPLES:-10}" \
  --checks not_a_server_error --seed 1 --workers 1 --no-shrink \
  --suppress-health-check filter_too_much,too_slow \
  --report ndjson --report-ndjson-path "$work/events.ndjson" >"$work/st.log" 2>&1 || status=$?

# Count the requests sent and the answers with a server error (5xx).
read -r requests errors < <("$BIN/python" - "$work/events.ndjson" <<'EOF'
import json, sys
requests = errors = 0
for line in open(sys.argv[1]):
    for interaction in json.loads(line).get("ScenarioFinished", {}).get("recorder", {}).get("interactions", {}).values():
        response = interaction.get("response")
        requests += 1
        errors += bool(response and response["status_code"] >= 500)
print(requests, errors)
EOF
)
echo "fuzz-api: $requests requests, $errors server errors, $(( $(date +%s) - start )) s"
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ]; then
  cat "$work/st.log"
  grep -v "^\(Not Found\|Bad Request\|Forbidden\|Method Not Allowed\|Unsupported Media Type\)" "$work/server.log" | tail -200
  exit 1
fi
