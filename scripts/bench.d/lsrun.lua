-- Benchmark driver: lsrun with the labelstudio SDK.
--
--   lsrun -q lsrun.lua SCENARIO [ARGS]  (LABEL_STUDIO_URL, _API_KEY)
--
-- Scenarios and arguments as in py_legacy.py, plus:
--   read PATH   walk a JSON export one task at a time (json.reader)
--
-- Each scenario uses the SDK the way a script would, and prints one
-- short line (a count) so the work cannot be skipped.

local ls = require "labelstudio"
local json = require "labelstudio.json"


local function client()
  return ls.Client{url = os.getenv("LABEL_STUDIO_URL"),
                   api_key = os.getenv("LABEL_STUDIO_API_KEY")}
end


local function load(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return json.decode(text)
end


local function project(id)
  return client():get_project(math.tointeger(tonumber(id)))
end


local scenarios = {}


function scenarios.health()
  return client():make_request("GET", "/health").json.status
end


scenarios["import"] = function(id, path)
  return #project(id):import_tasks(load(path))
end


function scenarios.list(id)
  return #project(id):get_tasks()
end


function scenarios.ids(id)
  return #project(id):get_tasks_ids()
end


function scenarios.predictions(id, path)
  local r = project(id):create_predictions(load(path))
  return r.created
end


function scenarios.export(id, path)
  project(id):export_tasks{download_all_tasks = true,
                           export_location = path}
  local f = assert(io.open(path, "rb"))
  local size = f:seek("end")
  f:close()
  return size
end


function scenarios.decode(path)
  return #load(path)
end


function scenarios.read(path)
  local n = 0
  for _ in json.reader(path) do n = n + 1 end
  return n
end


local name = arg[1]
local run = scenarios[name] or error("unknown scenario: " .. tostring(name))
print(run(table.unpack(arg, 2)))
