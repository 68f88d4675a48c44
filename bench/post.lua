-- wrk script: POST one trivial graaljs invocation per request.
--   wrk -t2 -c32 -d20s -s bench/post.lua http://127.0.0.1:8080/v1/tools/greet/invoke
-- Every answer that is not 200 is counted and printed at the end: a run with errors is no figure.
wrk.method = "POST"
wrk.body = '{"input":{"name":"Ada"}}'
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
  end
  io.write(string.format("non-200 answers: %d\n", bad))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%g: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
