-- Catalogue search scenarios: each request takes the next path of the fixed query mix that the
-- data hook printed as PATHS= (request paths of GET /api/v1/catalog/items?q=…, "|"-separated).
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^|]+") do
  paths[#paths + 1] = path
end
if #paths == 0 then
  paths[1] = "/api/v1/catalog/items?q=yyzz"
end

local next_index = 0

init = function(args)
  -- threads start at different places in the mix
  next_index = math.random(#paths) - 1
end

request = function()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
