-- wrk script for bench/predict.sh and bench/images.sh: POSTs {"inputs":["<text>"]}, one text per request, cycling
-- through a file of texts; with "image" as the third argument each line is an image in base64, posted as
-- {"inputs":[{"image":"<base64>"}]}. Arguments (after --): <lines file> [api key] [image].
local bodies = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local escaped = line:gsub("\\", "\\\\"):gsub("\"", "\\\"")
    if args[3] == "image" then
      bodies[#bodies + 1] = "{\"inputs\":[{\"image\":\"" .. line .. "\"}]}"
    else
      bodies[#bodies + 1] = "{\"inputs\":[\"" .. escaped .. "\"]}"
    end
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
