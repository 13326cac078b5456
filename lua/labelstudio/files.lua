--- Files that tasks refer to on the server, downloaded to a local
-- cache: Python's `Project.get_files_from_tasks(tasks, get_tasks)`.
--
-- A task data value is a server file when it is a path under `/data/`
-- (uploaded files, `/data/upload/...`; local files,
-- `/data/local-files/?d=...`) or an absolute URL under the client's
-- URL. Each is streamed to the cache (`output=`), never held whole.
--
-- Caveats: files already in the cache are not downloaded again, like
-- Python. The cache folder is `opts.cache_dir`, else
-- `$XDG_CACHE_HOME/lsrun/files`, else `~/.cache/lsrun/files`; under
-- it, one folder per project. Cloud URLs (`s3://`, `gs://`) are left
-- alone, as Python leaves them.
--
-- @module labelstudio.files

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local fs = require "labelstudio.fs"
local log = require "labelstudio.log"
local Project = require("labelstudio.project").Project

local M = {}


local function _cache_dir(self, opts)
  local base = opts.cache_dir
  if base == nil then
    local xdg, home = os.getenv("XDG_CACHE_HOME"), os.getenv("HOME")
    base = (xdg and xdg ~= "" and xdg or (home or ".") .. "/.cache")
      .. "/lsrun/files"
  end
  return ("%s/project-%d"):format(base, self.id)
end


--- The server path of a value, or nil when it is not a server file.
local function _server_path(self, value)
  if type(value) ~= "string" then return nil end
  local base = self.client._raw_url
  if value:sub(1, #base + 1) == base .. "/" then
    value = value:sub(#base + 1)
  end
  if value:match("^/data/") then return value end
end


--- The cache file of a server path: `/data/upload/1/a.png` ->
-- `upload/1/a.png`; a query (`?d=x/y.png`) becomes part of the name.
local function _relative(path)
  local rel = path:gsub("^/data/", ""):gsub("[?&=]", "/")
  rel = rel:gsub("%.%.+", "_"):gsub("//+", "/"):gsub("^/", "")
  return (rel:gsub("[^%w%-._/]", "_"))
end


local function _exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end


local function _download(self, path, dest)
  if _exists(dest) then return dest end
  fs.mkdir(fs.parent(dest), "get_files_from_tasks")
  self.client:_request("GET", path, {output = dest, timeout = 600})
  log.debug("downloaded %s to %s", path, dest)
  return dest
end


--- Downloads the server files the tasks' data refer to.
-- @tparam[opt] {table,...} tasks tasks as returned by `get_tasks`
-- @tparam[opt] boolean get_tasks when true, every task of the project
--   (the `tasks` argument is not read)
-- @tparam[opt] table opts `cache_dir`: the folder to download to
-- @treturn {string,...} the local paths, in task and field order
-- @raise an `ApiError` when a download fails
-- @usage for _, path in ipairs(project:get_files_from_tasks(nil, true))
--   do print(path) end
function Project:get_files_from_tasks(tasks, get_tasks, opts)
  opts = args.options(opts, {"cache_dir"}, "get_files_from_tasks")
  if get_tasks then tasks = self:get_tasks() end
  errors.check(tasks, "table", "tasks")
  local dir, out = _cache_dir(self, opts), {}
  for _, task in ipairs(tasks) do
    local data = type(task) == "table" and (task.data or task) or {}
    local keys = {}
    for k in pairs(data) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local path = _server_path(self, data[k])
      if path then
        out[#out + 1] = _download(self, path, dir .. "/" .. _relative(path))
      end
    end
  end
  return out
end

return M
