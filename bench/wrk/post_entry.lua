-- POST /api/v1/tenants/{id}/time-entries: one new entry per request, as a phone sends it, each with a
-- fresh client_uuid (so the idempotency look-up runs and misses, as for every real first send).
-- Arguments: token(s), project id, first day (YYYY-MM-DD), entries per day, batch size (0: one entry).
-- Several tokens, comma-separated, are several people's phones: the requests take them in turn, so
-- with 8 clients 8 people report at once (one person's writes are serialised by design, the lock in
-- timereporting.rules.lock_membership). Each person gets `per_day` entries a day: the date moves on
-- every `per_day` rounds so no day passes 24 hours and days stay small; the project must accept
-- those days (bench/http_setup.py makes an open-ended one and assigns everyone).
-- A batch answers 200 even when it refuses items (per-item results): `response` counts the answers
-- whose body does not say `"refused": 0`, and `done` prints that count ("refused batches: N") for
-- bench/over_http.py, which refuses the figure when it is not 0.
local tokens, project, first, per_day, batch
local auth = {}
local counter = 0
local thread_seed = 0
refused = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function check_batch(status, headers, body)
  if status == 200 and not string.find(body, '"refused": 0', 1, true) then
    refused = refused + 1
  end
end

function init(args)
  tokens, project, first = {}, tonumber(args[2]), args[3]
  for token in string.gmatch(args[1], "[^,]+") do table.insert(tokens, token) end
  per_day, batch = tonumber(args[4] or "4"), tonumber(args[5] or "0")
  local y, m, d = first:match("(%d+)-(%d+)-(%d+)")
  first = os.time({year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12})
  math.randomseed(os.time() + thread_seed)
  wrk.method = "POST"
  for i, token in ipairs(tokens) do
    auth[i] = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
               ["X-Forwarded-Proto"] = "https"}
  end
  -- wrk reads the bodies only when a `response` exists after init: for the batch only
  if batch > 0 then response = check_batch end
end

local function uuid4()
  local t = {}
  for i = 1, 16 do t[i] = math.random(0, 255) end
  t[7] = (t[7] % 16) + 64   -- version 4
  t[9] = (t[9] % 64) + 128  -- RFC 4122 variant
  return string.format("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
    t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15], t[16])
end

local function entry()
  local day = os.date("!%Y-%m-%d", first + math.floor(counter / (per_day * #tokens)) * 86400)
  counter = counter + 1
  return string.format('{"client_uuid": "%s", "date": "%s", "kind": "work", "project_id": %d, "minutes": 60}',
    uuid4(), day, project)
end

function request()
  local headers = auth[(counter % #tokens) + 1]
  if batch > 0 then
    local items = {}
    for i = 1, batch do items[i] = entry() end
    return wrk.format(nil, nil, headers, '{"entries": [' .. table.concat(items, ", ") .. ']}')
  end
  return wrk.format(nil, nil, headers, entry())
end

function done(summary, latency, requests)
  local n = 0
  for _, thread in ipairs(threads) do n = n + (thread:get("refused") or 0) end
  io.write(string.format("refused batches: %d\n", n))
end
