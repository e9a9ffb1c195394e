-- wrk script for the ECAR benchmarks. Arguments after "--":
--   mode      static | random | mixed
--   auth      "Bearer" or "Token" (the Django peer)
--   path      a path; in random/mixed mode "{id}" is replaced by a random customer id
--   tokens    file of "customerId token vehicleId,vehicleId,..." lines
--   [writes]  percentage of PATCH requests in mixed mode (default 5)
-- done() prints one JSON line, prefixed with "WRKJSON ", for bench/run.ts to parse.
local mode, auth, path_tpl, tokens_file, writes
local customers = {}

local function load_tokens(file)
  local list = {}
  for line in io.lines(file) do
    local id, token, vehicles = line:match("^(%d+) (%S+) ?(%S*)")
    if id then
      local v = {}
      for vid in vehicles:gmatch("%d+") do v[#v + 1] = vid end
      list[#list + 1] = { id = id, token = token, vehicles = v }
    end
  end
  return list
end

function init(args)
  mode, auth, path_tpl, tokens_file = args[1], args[2], args[3], args[4]
  writes = tonumber(args[5] or "5")
  customers = load_tokens(tokens_file)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  if mode == "static" then
    wrk.headers["Authorization"] = auth .. " " .. customers[1].token
    wrk.path = path_tpl:gsub("{id}", customers[1].id)
  end
end

local counter = 0
if true then
  -- wrk sends a pre-built request when request() is the default; define ours only when needed.
  local dynamic = os.getenv("WRK_DYNAMIC") == "1"
  if dynamic then
    -- In mixed mode the first 40 customers belong to bench/stale-checker.ts: the load leaves them alone,
    -- so a stale read it finds cannot come from a concurrent write of ours.
    local lowest = (mode == "mixed" and #customers > 80) and 41 or 1
    function request()
      local c = customers[math.random(lowest, #customers)]
      local headers = { ["Authorization"] = auth .. " " .. c.token }
      if mode == "mixed" and math.random(100) <= writes and #c.vehicles > 0 then
        counter = counter + 1
        headers["Content-Type"] = "application/json"
        local vid = c.vehicles[math.random(#c.vehicles)]
        local colors = { "Black", "Grey", "White", "Silver", "Blue", "Red" }
        return wrk.format("PATCH", "/api/vehicles/" .. vid, headers, '{"color":"' .. colors[math.random(#colors)] .. '"}')
      end
      return wrk.format("GET", (path_tpl:gsub("{id}", c.id)), headers)
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"durationUs":%d,"bytes":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
