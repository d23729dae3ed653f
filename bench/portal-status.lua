-- bench/portal-status.lua - wrk script of bench/portal.sh: GET /api/v1/status
-- with the city's token; counts answers that are not 200 and prints one
-- summary line ("HZ key=value ...").
local token = os.getenv("HZ_TOKEN")
wrk.method = "GET"
wrk.path = "/api/v1/status"
wrk.headers["Authorization"] = "Bearer " .. token

-- a global, so that done() can read it with thread:get
bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
                 summary.errors.timeout
  io.write(string.format("HZ answered=%d not200=%d socket_errors=%d wall_s=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, b, errors, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
