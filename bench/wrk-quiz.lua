-- The weekly-quiz burst: each wrk thread plays its share of the riders in the file given
-- after `--` (made by `pioneer generate --quiz-riders`), in one of two modes:
--   fetch  : GET /quiz/{quiz} — the rider's drawn questions as a form
--   submit : POST /quiz/{quiz} — the rider's answers (first option of each question); a
--            rider submits once, so the run must end before the riders do (a replay is
--            refused by design and shows up as an error)
-- At the end it prints how many answers had each status.
-- Usage: wrk -s bench/wrk-quiz.lua URL -- FILE THREADS read|fetch|submit
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local riders = {}
local i = 0
local mode = "fetch"
function init(args)
  local file, n = args[1], tonumber(args[2])
  mode = args[3]
  local k = 0
  for line in io.lines(file) do
    if k % n == id then
      local token, csrf, quiz, attempt, qs = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
      local body = "csrf=" .. csrf .. "&attempt=" .. attempt
      for q in qs:gmatch("[^,]+") do body = body .. "&q" .. q .. "=0" end
      riders[#riders + 1] = { path = "/quiz/" .. quiz, cookie = "pioneer_session=" .. token, body = body }
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
  if mode == "submit" then
    return wrk.format("POST", r.path,
      { ["Cookie"] = r.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, r.body)
  end
  if mode == "read" then
    return wrk.format("GET", "/api/v1/me/credits", { ["Cookie"] = r.cookie })
  end
  return wrk.format("GET", r.path, { ["Cookie"] = r.cookie })
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
