-- The weekly-quiz burst: each wrk thread plays its share of the riders in the file given
-- after `--` (made by `pioneer generate --quiz-riders`), then the mode:
--   fetch  : GET /quiz/{quiz} — the rider's drawn questions as a form
--   submit : POST /quiz/{quiz} — the rider's answers (first option of each question), once;
--            a thread stops when each of its riders has submitted (no replays are sent)
-- Usage: wrk -s bench/wrk-quiz.lua URL -- FILE THREADS fetch|submit
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local riders = {}
local i = 0
local mode = "fetch"
function init(args)
  local file, threads = args[1], tonumber(args[2])
  mode = args[3]
  local k = 0
  for line in io.lines(file) do
    if k % threads == id then
      local token, csrf, quiz, attempt, qs = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
      local body = "csrf=" .. csrf .. "&attempt=" .. attempt
      for q in qs:gmatch("[^,]+") do body = body .. "&q" .. q .. "=0" end
      riders[#riders + 1] = { path = "/quiz/" .. quiz, cookie = "pioneer_session=" .. token, body = body }
    end
    k = k + 1
  end
end

-- A submission answers 303 (or a refusal); the filler below answers 200.
local answered = 0
function response(status, headers, body)
  if status ~= 200 then answered = answered + 1 end
  if mode == "submit" and answered >= #riders then wrk.thread:stop() end
end

function request()
  i = i + 1
  local r = riders[(i - 1) % #riders + 1]
  if mode == "submit" and i > #riders then
    -- Every rider of this thread has sent theirs; until the last answers come back the
    -- connections ask /healthz rather than replay a submission.
    return wrk.format("GET", "/healthz")
  end
  if mode == "submit" then
    return wrk.format("POST", r.path,
      { ["Cookie"] = r.cookie, ["Content-Type"] = "application/x-www-form-urlencoded" }, r.body)
  end
  return wrk.format("GET", r.path, { ["Cookie"] = r.cookie })
end
