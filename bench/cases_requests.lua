-- Case scenarios: each request is the next line of the list the data hook wrote (REQUESTS=<file>;
-- a line is METHOD, TAB, PATH, TAB, JSON body). Threads take every n-th line from their own start,
-- so one-shot requests (submit a draft, pass a step) are never sent twice while the list lasts.
-- With XFF=1 every request carries its own X-Forwarded-For address (10.x.y.z): the bench plays a
-- reverse proxy for many clients, so the per-address limit of the progress query applies per client
-- (the server must trust 127.0.0.1: YIWANG_TRUSTED_PROXIES=127.0.0.1).
-- BENCH_PACE_MS=<ms> (opt-in) makes every connection wait that long after each response: with
-- wrk -c C the offered load is about C / (pace + latency) per second, so the latency figures show
-- the service time at that rate instead of the queue in front of a saturated server (e.g. C=32,
-- pace 190 ms: about 150 requests/s for the issue's "150/s with p95 <= 100 ms").
local thread_count = 0

setup = function(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local requests = {}
local position, stride, sent = 1, 1, 0
local base_headers = {}
local xff = os.getenv("BENCH_XFF") == "1"
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "")
if pace and pace > 0 then
  delay = function()
    return pace
  end
end

init = function(args)
  local path = os.getenv("BENCH_REQUESTS")
  local file = path and io.open(path, "r")
  if not file then
    error("cases_requests.lua: no request list (REQUESTS= from the data hook)")
  end
  for line in file:lines() do
    local method, url, body = string.match(line, "^(%u+)\t([^\t]+)\t?(.*)$")
    if method then
      requests[#requests + 1] = {method = method, url = url, body = body ~= "" and body or nil}
    end
  end
  file:close()
  stride = tonumber(os.getenv("BENCH_THREADS") or "2") or 2
  position = (thread_index or 0) % stride + 1
  for name, value in pairs(wrk.headers) do
    base_headers[name] = value
  end
end

request = function()
  local r = requests[position]
  position = position + stride
  if position > #requests then
    position = position - #requests
  end
  sent = sent + 1
  local headers = {}
  for name, value in pairs(base_headers) do
    headers[name] = value
  end
  if r.body then
    headers["Content-Type"] = "application/json"
  end
  if xff then
    local n = (thread_index or 0) * 65536 + sent
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256,
      math.floor(n / 256) % 256, n % 256)
  end
  return wrk.format(r.method, r.url, headers, r.body)
end
