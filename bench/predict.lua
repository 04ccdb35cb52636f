-- wrk script for bench/predict.sh: POSTs {"inputs":["<text>"]}, one text per request, cycling through a file of
-- texts. Arguments (after --): <texts file> [api key]. Counts non-200 answers so the script can refuse a run with
-- errors.
local bodies = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local escaped = line:gsub("\\", "\\\\"):gsub("\"", "\\\"")
    bodies[#bodies + 1] = "{\"inputs\":[\"" .. escaped .. "\"]}"
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if args[2] ~= nil and args[2] ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. args[2]
  end
  counter = math.random(#bodies)
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
end
