-- wrk script: each connection sends the request paths of a file in turn (closed loop)
-- and the run ends with one line of JSON: request count, latency percentiles in ms, errors.
--
--   wrk -t2 -c20 -d20s -s benchmarks/wrk_paths.lua http://127.0.0.1:8000 -- PATHS_FILE
--
-- PATHS_FILE holds one URL path with its query string per line, already percent-encoded.
local paths = {}
local next_index = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  -- Threads start at different points of the list, as separate clients would.
  next_index = math.random(#paths)
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "median_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
