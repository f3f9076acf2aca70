-- Appended to every scenario's wrk script: prints one JSON line when the run is done.
-- errors = responses with status >= 400 + socket errors (connect, read, write, timeout).
local bench_scenario = os.getenv("BENCH_SCENARIO") or "unnamed"

done = function(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1000000
  io.write(string.format(
    '{"scenario": "%s", "n": %d, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d}\n',
    bench_scenario, summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
