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

-- Refused requests, by status and problem type, printed at the end: wrk itself only counts them ("Non-2xx"), and a
-- run that stops on one must say which (a 503 model-loading after a cache reload, a 429, a 500). Costs the client
-- a callback per response on either endpoint alike.
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

refused = {}

function response(status, headers, body)
  if status >= 300 then
    local key = tostring(status) .. " " .. (body:match('"type"%s*:%s*"([^"]+)"') or "")
    refused[key] = (refused[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("refused") or {}) do
      total[key] = (total[key] or 0) + count
    end
  end
  for key, count in pairs(total) do
    io.write("refused " .. key .. ": " .. count .. "\n")
  end
end
