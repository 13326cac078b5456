--- Import with a full report: `project:import_tasks_report`.
--
-- `import_tasks` (in `labelstudio.project`) returns task ids, as in
-- Python. `import_tasks_report` takes the same tasks, or files in any
-- format the server reads (JSON, CSV, TSV, TXT, and media files, each
-- of which becomes a task), or URLs the server fetches, and returns
-- what came in:
--
--     local r = project:import_tasks_report({"a.csv", "b.jpg"})
--     print(r.task_count, r.annotation_count, r.prediction_count)
--     project:import_tasks_report{urls = {"https://host/tasks.json"}}
--
-- Options: `commit_to_project` (default true; false only uploads the
-- files, see `file_upload_ids`), `return_task_ids` (default true),
-- `preannotated_from_fields`. When the server answers with an import
-- id (Label Studio Enterprise), the import is polled to the end with
-- Python's Fibonacci waits (1, 1, 2, 3 ... s, 300 s in all).
--
-- Caveats: each URL is one request (the server takes one `url` per
-- request); counts and ids are summed over them. At most 100 files
-- go in one request (the server's limit).
--
-- @module labelstudio.data_import

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local log = require "labelstudio.log"
local Project = require("labelstudio.project").Project

local M = {}

local CONTENT_TYPES = {
  json = "application/json", csv = "text/csv",
  tsv = "text/tab-separated-values", txt = "text/plain",
  jpg = "image/jpeg", jpeg = "image/jpeg", png = "image/png",
  gif = "image/gif", wav = "audio/wav", mp3 = "audio/mpeg",
  mp4 = "video/mp4", html = "text/html", xml = "application/xml",
}

local MAX_FILES = 100

local WAIT_LIMIT = 300

local OPTIONS = {"commit_to_project", "return_task_ids",
                 "preannotated_from_fields", "poll_interval"}

local COUNTS = {"task_count", "annotation_count", "prediction_count"}

local LISTS = {"task_ids", "file_upload_ids", "found_formats",
               "data_columns"}


local function _path(self, fmt, ...)
  return ("/api/projects/%d" .. fmt):format(self.id, ...)
end


local function _bool(v, default)
  if v == nil then v = default end
  return v and "true" or "false"
end


local function _query(opts)
  local q = {
    commit_to_project = _bool(opts.commit_to_project, true),
    return_task_ids = _bool(opts.return_task_ids, true),
  }
  local f = opts.preannotated_from_fields
  if f ~= nil then
    errors.check(f, "table|string", "preannotated_from_fields")
    q.preannotated_from_fields = type(f) == "table" and table.concat(f, ",")
      or f
  end
  return q
end


local function _file_part(path)
  local f = io.open(path, "rb")
  if f == nil then errors.usage("cannot read the file " .. path) end
  f:close()
  local ext = (path:match("%.(%w+)$") or ""):lower()
  return {path = path, filename = path:match("[^/]*$"),
          content_type = CONTENT_TYPES[ext] or "application/octet-stream"}
end


local function _files_form(paths)
  if #paths > MAX_FILES then
    errors.usage(("at most %d files per import, not %d"):format(MAX_FILES,
                                                                #paths))
  end
  local form = {}
  for i, p in ipairs(paths) do
    form[("file%03d"):format(i)] = _file_part(errors.check(p, "string",
      ("file %d"):format(i)))
  end
  return form
end


local function _urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return ("%%%02X"):format(c:byte())
  end))
end


--- Polls an Enterprise import until it is completed or failed.
local function _wait(self, import_id, first_delay)
  local sys = require "lsrun.sys"
  local url = _path(self, "/imports/%d/", import_id)
  local waited, delay, prev = 0, first_delay or 1, 0
  while true do
    local _, data = self.client:_request("GET", url)
    log.debug("import %d is %s", import_id, tostring(data.status))
    if data.status == "completed" then return data end
    if data.status == "failed" then
      errors.raise{method = "GET", url = self.client:get_url(url),
                   status = 200, body = data,
                   detail = "import failed: " .. tostring(data.error)}
    end
    if waited >= WAIT_LIMIT * (first_delay or 1) then
      errors.raise{method = "GET", url = self.client:get_url(url),
                   status = 200, detail = "import timed out after "
                     .. WAIT_LIMIT .. " s (status " .. tostring(data.status)
                     .. ")"}
    end
    sys.sleep(delay)
    waited = waited + delay
    delay, prev = delay + prev, delay
  end
end


local function _send(self, req, opts)
  req.query = _query(opts)
  req.idempotent = false
  req.timeout = req.timeout or 600
  local _, data = self.client:_request("POST", _path(self, "/import"), req)
  if type(data) == "table" and data.import ~= nil then
    data = _wait(self, data.import, opts.poll_interval)
  end
  return data
end


local function _num(v)
  return type(v) == "number" and v or 0
end


local function _add(total, part)
  for _, k in ipairs(COUNTS) do
    total[k] = (total[k] or 0) + _num(part[k])
  end
  for _, k in ipairs(LISTS) do
    if type(part[k]) == "table" then
      total[k] = total[k] or {}
      for _, v in ipairs(part[k]) do total[k][#total[k] + 1] = v end
    end
  end
  total.duration = (total.duration or 0) + _num(part.duration)
  total.could_be_tasks_list = total.could_be_tasks_list
    or part.could_be_tasks_list
end


local function _is_paths(list)
  return type(list) == "table" and type(list[1]) == "string"
end


--- Imports tasks, files or URLs and reports what came in.
-- @tparam table|string source a list of tasks (as for
--   `import_tasks`), a file path, a list of file paths, or
--   `{urls = {...}}`
-- @tparam[opt] table opts `commit_to_project` (true),
--   `return_task_ids` (true), `preannotated_from_fields`, and
--   `poll_interval` (s, the first wait of an Enterprise import)
-- @treturn table `task_count`, `annotation_count`, `prediction_count`,
--   `task_ids`, `file_upload_ids`, `found_formats`, `data_columns`,
--   `duration`
-- @raise a misuse error for an unreadable file or an unknown option;
--   an `ApiError` when the
--   server refuses, or an Enterprise import fails or times out
function Project:import_tasks_report(source, opts)
  opts = args.options(opts, OPTIONS, "import_tasks_report")
  if type(source) == "string" then source = {source} end
  errors.check(source, "table", "source")
  local total = {task_count = 0, annotation_count = 0, prediction_count = 0}
  if source.urls ~= nil then
    for _, url in ipairs(errors.check(source.urls, "table", "urls")) do
      _add(total, _send(self, {
        body = "url=" .. _urlencode(errors.check(url, "string", "url")),
        headers = {["Content-Type"] = "application/x-www-form-urlencoded"},
      }, opts))
    end
  elseif _is_paths(source) then
    _add(total, _send(self, {form = _files_form(source)}, opts))
  else
    if source[1] == nil and next(source) ~= nil then source = {source} end
    if #source == 0 then return total end
    _add(total, _send(self, {json = source}, opts))
  end
  return total
end

return M
