#!/usr/bin/env bash
# Opens a report folder's index.html in headless Chromium (Debian's package; installed with apt-get when missing) and
# checks what a reader needs: the page loads with no console errors and no failed resource, every image loads
# (naturalWidth > 0), the summary table has one row per method and threshold policy (the rows of summary.csv).
# Then it saves a screenshot of the unmodified page.
#
#   scripts/check-report-browser.sh [REPORT_DIR] [SCREENSHOT]
#   default REPORT_DIR: coin-core/target/report-sample (written by EvaluationReportPageTest during `mvn test`)
#   default SCREENSHOT: REPORT_DIR/screenshot.png (1280 px wide, SHOT_HEIGHT px high, default 3000)
set -euo pipefail
cd "$(dirname "$0")/.."
report=${1:-coin-core/target/report-sample}
shot=${2:-$report/screenshot.png}
[ -f "$report/index.html" ] || { echo "no $report/index.html; run mvn test first (EvaluationReportPageTest writes it)" >&2; exit 2; }
[ -f "$report/summary.csv" ] || { echo "no $report/summary.csv next to the page" >&2; exit 2; }

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "chromium not found; installing Debian's package" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  browser=$(command -v chromium)
fi
"$browser" --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A copy of the folder whose page carries a probe: it records errors from the first byte on, and after the load event
# writes what it found into the DOM, which --dump-dom prints. The report's own page stays script-free.
cp -r "$report" "$work/report"
probe_head='<script>window.__errors=[];window.addEventListener("error",function(e){var t=e.target||{};window.__errors.push(t.src||t.href||String(e.message));},true);["error","warn"].forEach(function(k){var o=console[k];console[k]=function(){window.__errors.push(k+": "+Array.prototype.join.call(arguments," "));o.apply(console,arguments);};});</script>'
probe_tail='<script>window.addEventListener("load",function(){var imgs=Array.prototype.slice.call(document.images);var broken=imgs.filter(function(i){return !(i.complete&&i.naturalWidth>0);}).map(function(i){return i.getAttribute("src");});var t=document.getElementById("summary");var rows=t?t.tBodies[0].rows.length:-1;var p=document.createElement("pre");p.id="coin-check";p.textContent="CHECK images="+imgs.length+" broken="+JSON.stringify(broken)+" rows="+rows+" errors="+JSON.stringify(window.__errors);document.body.appendChild(p);});</script>'
python3 - "$work/report/index.html" "$probe_head" "$probe_tail" <<'PY'
import sys
path, head, tail = sys.argv[1:4]
html = open(path, encoding="utf-8").read()
html = html.replace("<head>", "<head>" + head, 1).replace("</body>", tail + "</body>", 1)
open(path, "w", encoding="utf-8").write(html)
PY
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --allow-file-access-from-files
       --hide-scrollbars --user-data-dir="$work/profile")
"$browser" "${flags[@]}" --virtual-time-budget=10000 --enable-logging=stderr --v=0 --dump-dom \
    "file://$(realpath "$work/report/index.html")" >"$work/dom.html" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2; echo "FAIL: chromium could not load the page" >&2; exit 1; }
line=$(python3 - "$work/dom.html" <<'PY'
import html, re, sys
m = re.search(r'<pre id="coin-check">(.*?)</pre>', open(sys.argv[1], encoding="utf-8").read(), re.S)
print(html.unescape(m.group(1)) if m else "")
PY
)
[ -n "$line" ] || { tail -20 "$work/chromium.log" >&2; echo "FAIL: the page did not finish loading (no probe output)" >&2; exit 1; }
echo "$line"
expected=$(( $(grep -c '' "$report/summary.csv") - 1 ))
fail=0
images=$(sed -E 's/.*images=([0-9]+).*/\1/' <<<"$line")
rows=$(sed -E 's/.* rows=(-?[0-9]+).*/\1/' <<<"$line")
[ "$images" -gt 0 ] || { echo "FAIL: the page shows no images" >&2; fail=1; }
grep -q 'broken=\[\]' <<<"$line" || { echo "FAIL: images that did not load: $(sed -E 's/.*broken=(\[[^]]*\]).*/\1/' <<<"$line")" >&2; fail=1; }
grep -q 'errors=\[\]' <<<"$line" || { echo "FAIL: console errors or failed resources: ${line#*errors=}" >&2; fail=1; }
[ "$rows" -eq "$expected" ] || { echo "FAIL: summary table has $rows rows, summary.csv has $expected (one per method and policy)" >&2; fail=1; }
# Chromium's own log of the page's console (level ERROR) and failed loads
if grep -E 'CONSOLE.*(Uncaught|Failed to load|ERR_)|:ERROR:CONSOLE' "$work/chromium.log" >&2; then
  echo "FAIL: Chromium logged console errors" >&2; fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "OK: $images images loaded, $rows table rows (summary.csv: $expected), no console errors"

# Screenshot of the unmodified page
"$browser" "${flags[@]}" --virtual-time-budget=10000 --window-size=1280,"${SHOT_HEIGHT:-3000}" --screenshot="$work/shot.png" \
    "file://$(realpath "$report/index.html")" >/dev/null 2>"$work/shot.log" || { cat "$work/shot.log" >&2; exit 1; }
mkdir -p "$(dirname "$shot")"
cp "$work/shot.png" "$shot"
echo "screenshot: $shot"
