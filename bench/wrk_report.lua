-- wrk script for bench/load.py: every request carries the session cookie of one of the
-- logged-in users (rotating), and the run ends with one JSON line of figures.
local cookies = {}
local file = os.getenv("BENCH_COOKIES")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then cookies[#cookies + 1] = line end
  end
end
local counter = 0

request = function()
  counter = counter + 1
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[(counter % #cookies) + 1] end
  return wrk.format("GET", nil, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
