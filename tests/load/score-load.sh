#!/usr/bin/env bash
# Load measurement of `mta score`: one process over N generated rows, then four concurrent shards of the same file
# (--shard i/4), each process's wall time, rows/s and peak RSS, and its RSS sampled every second (flat = the last
# samples are no higher than the samples of the first quarter). Writes only its own results file.
#   bash tests/load/score-load.sh [rows, default 20000000] [output, default docs/results/score-load.md]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-20000000}
out=${2:-docs/results/score-load.md}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build src/Mta.Cli -c Release -o "$work/mta" >/dev/null
mta="$work/mta/mta"
"$mta" train --dataset data/rotterdam.csv --label recur --label death --ignore pid,rtime,dtime --output "$work/model.zip" >/dev/null

# The Rotterdam rows repeated with a fresh pid, so every row is distinct and real-valued.
python3 - "$rows" >"$work/big.csv" <<'EOF'
import csv, sys
n = int(sys.argv[1])
rows = list(csv.reader(open("data/rotterdam.csv")))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(rows[0])
body = rows[1:]
for i in range(n):
    w.writerow([i + 1] + body[i % len(body)][1:])
EOF

# Runs one mta score, sampling its RSS each second; /usr/bin/time records the wall time and peak RSS.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$mta" score --model "$work/model.zip" --input "$work/big.csv" --keep pid "$@" \
    >"$work/$name.log" 2>&1 &
  local pid=$!
  sleep 0.2
  local child
  child=$(pgrep -P "$pid" | head -n 1 || true)
  : >"$work/$name.rss"
  while kill -0 "$pid" 2>/dev/null; do
    [ -n "$child" ] && awk '/VmRSS/ {print $2}' "/proc/$child/status" 2>/dev/null >>"$work/$name.rss" || true
    sleep 1
  done
  wait "$pid"
}

summary() {
  local name=$1 count=$2
  read -r wall peak <"$work/$name.time"
  local n
  n=$(wc -l <"$work/$name.rss")
  local q=$(( n / 4 > 0 ? n / 4 : 1 ))
  local first last
  first=$(head -n $(( 2 * q )) "$work/$name.rss" | tail -n "$q" | sort -n | tail -n 1)
  last=$(tail -n "$q" "$work/$name.rss" | sort -n | tail -n 1)
  python3 -c "import sys; w=float('$wall'); print(f'| $name | {int($count):,} | {w:.1f} | {int($count)/w:,.0f} | {int($peak)/1024:.0f} | {int(${first:-0})/1024:.0f} | {int(${last:-0})/1024:.0f} |')"
}

load=$(cut -d' ' -f1 /proc/loadavg)
measure single --output "$work/single.csv"
start=$(date +%s.%N)
for i in 0 1 2 3; do
  measure "shard-$i" --output "$work/part-$i.csv" --shard "$i/4" &
done
wait
end=$(date +%s.%N)

{
  echo "# mta score under load"
  echo
  echo "Command: \`bash tests/load/score-load.sh $rows $out\`. Machine: $(nproc) cores, $(uname -sr), load average $load at the start. Model: \`mta train\` defaults on"
  echo "data/rotterdam.csv (recur, death); input: the Rotterdam rows repeated with a fresh pid, CSV in and out, \`--keep pid\`."
  echo "RSS is sampled every second: the highest sample in the second and in the last quarter of each run (the first holds the start-up)."
  echo
  echo "| run | rows | wall s | rows/s | peak RSS MB | RSS 2nd quarter MB | RSS last quarter MB |"
  echo "|---|---|---|---|---|---|---|"
  summary single "$rows"
  for i in 0 1 2 3; do summary "shard-$i" $(( (rows - i + 3) / 4 )); done
  python3 -c "print(f'| four shards together | {int($rows):,} | {$end-$start:.1f} | {int($rows)/($end-$start):,.0f} | | | |')"
  echo
  merged=$("$mta" merge --output "$work/merged.csv" "$work"/part-*.csv >/dev/null && cmp -s "$work/merged.csv" "$work/single.csv" && echo "identical" || echo "DIFFERENT")
  echo "The four parts merged (\`mta merge\`) are byte for byte the single process's output: $merged."
} >"$out"
cat "$out"
