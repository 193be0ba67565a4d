#!/bin/sh
# Seed the fuzz corpora from the repository's own inputs (run from anywhere; idempotent).
#
#   fuzz/corpus/check_text/     every bundled .vigil file and every check fixture, alone, and
#                               each protocol joined to its framework with the `---` line
#                               check_text splits on, so protocols are checked against a real
#                               framework from the first run
#   fuzz/corpus/timeline_load/  every example timeline and timeline fixture, as written
#                               (YAML), as JSON and as NDJSON (converted with Python's yaml
#                               module, if it is installed), and the NDJSON fixtures
#   fuzz/corpus/fmt_roundtrip/  every bundled .vigil file and every check fixture, alone
#   fuzz/corpus/eval_structured/  left empty: its inputs are `arbitrary` bytes, which the
#                               fuzzer grows from nothing
#
# The grown corpora are not committed (fuzz/.gitignore); this script is how to start again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
c="$here/corpus/check_text"
t="$here/corpus/timeline_load"
m="$here/corpus/fmt_roundtrip"
mkdir -p "$c" "$t" "$m" "$here/corpus/eval_structured"

# check_text: files alone.
for f in "$root"/protocols/*/*.vigil "$root"/tests/fixtures/check/*.vigil "$root"/tests/fixtures/check/base/*.vigil; do
    [ -f "$f" ] || continue
    name=$(echo "${f#"$root"/}" | tr '/' '_')
    cp "$f" "$c/$name"
done
# fmt_roundtrip: every .vigil file alone, as for check_text (one document per input).
for f in "$root"/protocols/*/*.vigil "$root"/tests/fixtures/check/*.vigil "$root"/tests/fixtures/check/base/*.vigil; do
    [ -f "$f" ] || continue
    cp "$f" "$m/$(echo "${f#"$root"/}" | tr '/' '_')"
done
# check_text: each bundled protocol after its framework.
for dir in "$root"/protocols/*/; do
    fw="$dir/framework.vigil"
    [ -f "$fw" ] || continue
    for p in "$dir"*.vigil; do
        [ "$p" = "${dir}framework.vigil" ] && continue
        name=$(echo "joined_${p#"$root"/}" | tr '/' '_')
        { cat "$fw"; printf '\n---\n'; cat "$p"; } > "$c/$name"
    done
done
# check_text: each check fixture after the fixtures' base frameworks (as tests/check_fixtures.rs
# checks them).
base="$root/tests/fixtures/check/base"
for f in "$root"/tests/fixtures/check/*.vigil; do
    name="joined_$(basename "$f")"
    { cat "$base/framework.vigil"; printf '\n---\n'; cat "$base/classes.vigil"; printf '\n---\n'; cat "$f"; } > "$c/$name"
done

# timeline_load: YAML as written, and the same timelines as JSON.
for f in "$root"/examples/*.yaml "$root"/examples/*.json "$root"/tests/fixtures/timeline/*.yaml; do
    [ -f "$f" ] || continue
    name=$(echo "${f#"$root"/}" | tr '/' '_')
    cp "$f" "$t/$name"
    case "$f" in
    *.yaml)
        python3 -c 'import json, sys, yaml
class L(yaml.SafeLoader): pass
# Timestamps stay text, as written: RFC 3339, with their offsets.
L.yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                             for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
doc = yaml.load(open(sys.argv[1]), Loader=L)
print(json.dumps(doc, indent=1))
# And as NDJSON: the header (all but the events) on the first line, one event a line.
header = {k: v for k, v in doc.items() if k != "events"}
with open(sys.argv[2], "w") as out:
    if header:
        out.write(json.dumps(header) + "\n")
    for e in doc.get("events") or []:
        out.write(json.dumps(e) + "\n")' "$f" "$t/$name.ndjson" \
            > "$t/$name.json" 2>/dev/null || rm -f "$t/$name.json" "$t/$name.ndjson"
        ;;
    esac
done
# timeline_load: the NDJSON fixtures, as written.
for f in "$root"/tests/fixtures/bad/timelines/*.ndjson; do
    [ -f "$f" ] || continue
    cp "$f" "$t/$(echo "${f#"$root"/}" | tr '/' '_')"
done

echo "check_text: $(ls "$c" | wc -l) seeds; timeline_load: $(ls "$t" | wc -l) seeds"
