--- Exports: `project:export_tasks` streamed to a file, and a lazy
-- reader over an exported JSON file.
--
--     project:export_tasks{download_all_tasks = true,
--                          export_location = "out.json"}
--     for task in export_stream.read("out.json") do ... end
--
-- With `export_location` the body goes straight from the socket to the
-- file (the HTTP module's `output`), so memory stays flat whatever the
-- export's size; `export.read` then yields one task at a time through
-- the codec's incremental reader.
--
-- Caveats: the server builds the whole export before it sends a byte,
-- so a big project waits long for the first byte: the stall limit is
-- 10 minutes and the total limit an hour by default (`timeout`,
-- `stall_timeout`). The folder of `export_location` must exist. Without
-- `export_location` only JSON types are accepted, and the decoded JSON
-- is returned.
--
-- @module labelstudio.export_stream

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local fs = require "labelstudio.fs"
local json = require "labelstudio.json"

local M = {}

local JSON_TYPES = {JSON = true, JSON_MIN = true}

local POSITIONAL = {"export_type", "download_all_tasks", "download_resources",
                    "ids", "export_location"}

-- By name: Python's parameters, and lsrun's time limits.
local NAMED = {"export_type", "download_all_tasks", "download_resources",
               "ids", "export_location", "timeout", "stall_timeout"}


--- Iterates over the tasks of an exported JSON file, one at a time.
-- @tparam string|file source a path or an open file
-- @treturn function an iterator for a generic `for`
-- @usage for task in export_stream.read("out.json") do print(task.id) end
function M.read(source)
  return json.reader(source)
end


local function _options(first, ...)
  if type(first) == "table" then
    args.at_most(1, "export_tasks", first, ...)
    return args.options(first, NAMED, "export_tasks")
  end
  args.at_most(#POSITIONAL, "export_tasks", first, ...)
  local o, a = {}, table.pack(first, ...)
  for i, name in ipairs(POSITIONAL) do o[name] = a[i] end
  return o
end


--- Checks `ids`: a non-empty list of task ids.
local function _check_ids(ids)
  errors.check(ids, "table", "export_tasks: ids")
  if #ids == 0 then
    -- The server reads an empty ids[] as "every task".
    errors.usage("export_tasks: ids is empty; give task ids, or no ids"
                 .. " for every task")
  end
  for i, id in ipairs(ids) do
    errors.check(id, "integer", ("export_tasks: ids[%d]"):format(i))
  end
end


--- Checks the export type: a JSON type without `export_location`.
local function _check_type(export_type, location)
  errors.check(export_type, "string", "export_tasks: export_type")
  if location ~= nil or JSON_TYPES[export_type] then return end
  if JSON_TYPES[export_type:upper()] then
    errors.usage(("export_tasks: unknown export_type '%s' (did you mean"
                  .. " '%s'? format names are upper case)")
                 :format(export_type, export_type:upper()))
  end
  errors.usage(("export_tasks: export_type '%s' is not JSON or JSON_MIN,"
                .. " so it needs export_location (a file to write)")
               :format(export_type))
end


local function _query(o)
  local q = {
    exportType = o.export_type or "JSON",
    download_all_tasks = o.download_all_tasks and "true" or "false",
    download_resources = o.download_resources and "true" or "false",
  }
  if o.ids ~= nil then q["ids[]"] = o.ids end
  return q
end


--- Exports the project's tasks.
-- Arguments as in Python, positional or in one table: `export_type`
-- (default `"JSON"`), `download_all_tasks` (false: annotated tasks
-- only), `download_resources`, `ids` (a list of task ids),
-- `export_location` (a file path; missing folders above it are made,
-- as Python makes them); and `timeout` (s, default 3600),
-- `stall_timeout` (s without a byte, default 600).
-- @treturn string|table the path written, or the decoded export when
--   no `export_location` is given
-- @raise an `ApiError`; no file is left behind on failure. A misuse
--   error for an unknown option, `ids` that is not a list of ids or is
--   empty (the server would export every task), or a type other than
--   JSON and JSON_MIN without `export_location`.
-- @usage project:export_tasks{export_location = "all.json",
--                             download_all_tasks = true}
function M.export_tasks(project, ...)
  local o = _options(...)
  _check_type(o.export_type or "JSON", o.export_location)
  if o.export_location ~= nil then
    errors.check(o.export_location, "string", "export_location")
  end
  if o.ids ~= nil then _check_ids(o.ids) end
  if o.export_location ~= nil then
    fs.mkdir(fs.parent(o.export_location), "export_tasks")
  end
  local res, data = project.client:_request("GET",
    ("/api/projects/%d/export"):format(project.id), {
      query = _query(o), output = o.export_location,
      total_timeout = o.timeout or 3600,
      low_speed_time = o.stall_timeout or 600,
    })
  if o.export_location then return o.export_location end
  -- A body that is not JSON raises here, naming the byte offset.
  if data == nil then return json.decode(res.body or "") end
  return data
end


--- Gives `Project` `export_tasks` and `read_export`.
function M.install(Project)
  Project.export_tasks = M.export_tasks
  --- Same as `export.read`, for symmetry with `export_tasks`.
  function Project.read_export(_, source) return M.read(source) end
end

return M
