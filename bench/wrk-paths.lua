-- Cycles through the request paths listed in the file given after `--`.
local paths = {}
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
