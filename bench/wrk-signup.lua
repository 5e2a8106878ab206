-- The volunteer sign-up burst: each wrk thread plays its share of the riders in the file
-- given after `--` (made by `pioneer generate --quiz-riders`), each signing up once, through
-- the API, for one of the shifts in the second file (made by `--service-shifts`), spread
-- over them; more riders than places, so many are refused (422: full). A rider's second
-- request (once the file is used up) is refused too (overlap).
-- Usage: wrk -s bench/wrk-signup.lua URL -- RIDERS SHIFTS THREADS
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local riders = {}
local i = 0
function init(args)
  local file, shifts_file, n = args[1], args[2], tonumber(args[3])
  local shifts = {}
  for line in io.lines(shifts_file) do shifts[#shifts + 1] = line end
  local k = 0
  for line in io.lines(file) do
    if k % n == id then
      local token, csrf = line:match("([^\t]+)\t([^\t]+)")
      local shift = shifts[(k * 7919) % #shifts + 1]
      riders[#riders + 1] = { path = "/api/v1/me/service/shifts/" .. shift .. "/signup",
        headers = { ["Cookie"] = "pioneer_session=" .. token, ["X-CSRF-Token"] = csrf } }
    end
    k = k + 1
  end
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function request()
  i = i + 1
  local r = riders[(i - 1) % #riders + 1]
  return wrk.format("POST", r.path, r.headers)
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = status .. ": " .. n end
  table.sort(parts)
  io.write("statuses " .. table.concat(parts, ", ") .. "\n")
end
