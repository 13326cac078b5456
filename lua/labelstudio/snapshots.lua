--- Export snapshots and `export`, as `Project` methods.
--
-- Names follow the Python SDK: `get_export_formats`,
-- `export_snapshot_list`, `export_snapshot_create`,
-- `export_snapshot_status`, `export_snapshot_download`,
-- `export_snapshot_delete` and `export`. Two more fill the Python
-- SDK's gaps: `export_snapshot_convert` (the convert step non-JSON
-- formats need) and `export_snapshot_wait` (polls until a snapshot,
-- or one of its converted formats, is completed or failed). The quick
-- export, `export_tasks`, lives in `labelstudio.export_stream`.
--
--     local snap = project:export_snapshot_create{title = "Nightly"}
--     project:export_snapshot_wait(snap.id)
--     project:export_snapshot_download(snap.id, "CSV", "out")
--     local r = project:export(filters, "Mine", "CSV", "out")
--
-- Where lsrun differs from Python on purpose:
-- `export_snapshot_download` converts and waits for a format that is
-- not converted yet (Python leaves the convert step to the user);
-- `export` waits while a snapshot is `created` as well as
-- `in_progress`, raises when it fails, and deletes its temporary view
-- whatever happens (Python leaks it when a step raises).
--
-- Caveats: `export_snapshot_wait` gives up after `timeout` seconds
-- (default 600). A file named by the server is reduced to its base
-- name before it is joined to the output folder.
--
-- @module labelstudio.snapshots

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local fs = require "labelstudio.fs"
local json = require "labelstudio.json"
local log = require "labelstudio.log"
local Project = require("labelstudio.project").Project

local M = {}

--- The states of a snapshot and of a converted format.
M.ExportSnapshotStatus = {
  CREATED = "created", IN_PROGRESS = "in_progress",
  FAILED = "failed", COMPLETED = "completed",
}

local S = M.ExportSnapshotStatus

local WAIT_DEFAULTS = {timeout = 600, interval = 1}

-- The options of `export_snapshot_wait` and `export_snapshot_download`.
local WAIT_OPTIONS = {"export_type", "timeout", "interval"}
local DOWNLOAD_OPTIONS = {"timeout", "interval"}

local TEMP_VIEW_TITLE = "Temp SDK export"


local function _path(self, fmt, ...)
  return ("/api/projects/%d" .. fmt):format(self.id, ...)
end


local function _sys()
  return require "lsrun.sys"
end


--- Reads Python's positional arguments (at most `#names`), or one
-- table of them by name (`args.named`; the first parameter may itself
-- be a table); `what` names the function in messages.
local function _args(what, names, first, ...)
  names.what, names.table_first = what, true
  if select("#", ...) == 0 then return args.named(names, first) end
  args.at_most(#names, what, first, ...)
  return first, ...
end


--- Statuses of the states, for `ExportSnapshotStatus` predicates.
for name, value in pairs(S) do
  M["is_" .. name:lower()] = function(snap)
    return type(snap) == "table" and snap.status == value
  end
end


--- The export formats the server offers for this project.
-- @treturn {table,...} each `{name, title, description, tags,
--   disabled}`; formats the label config does not support have
--   `disabled = true`
function Project:get_export_formats()
  local _, data = self.client:_request("GET", _path(self, "/export/formats"))
  return data
end


-- --------------------------------------------------------- snapshots ---

--- Lists the project's export snapshots.
-- @treturn {table,...}
function Project:export_snapshot_list()
  local _, data = self.client:_request("GET", _path(self, "/exports/"))
  return data
end


local CREATE_ARGS = {
  "title", "task_filter_options", "serialization_options_drafts",
  "serialization_options_predictions",
  "serialization_options_annotations__completed_by",
  "annotation_filter_options_usual",
  "annotation_filter_options_ground_truth",
  "annotation_filter_options_skipped", "interpolate_key_frames",
}


local function _flag(v)
  if v == nil then return true end
  return v and true or false
end


--- Creates an export snapshot (Python's parameters and defaults).
-- @tparam[opt="SDK Export"] string title
-- @tparam[opt] table task_filter_options e.g. `{view = 3}`, or
--   `finished`, `annotated`, `skipped` set to `"only"`/`"exclude"`
-- @tparam[opt=true] boolean serialization_options_drafts only the
--   drafts' ids (false: the drafts in full); sent as the drafts'
--   `only_id`, as Python sends it
-- @tparam[opt=true] boolean serialization_options_predictions only the
--   predictions' ids (false: in full)
-- @tparam[opt=true] boolean serialization_options_annotations__completed_by
--   only the annotators' ids (false: their user records)
-- @tparam[opt=true] boolean annotation_filter_options_usual
-- @tparam[opt=true] boolean annotation_filter_options_ground_truth
-- @tparam[opt=true] boolean annotation_filter_options_skipped
-- @tparam[opt=false] boolean interpolate_key_frames
-- @treturn table the snapshot: `id`, `status`, `converted_formats` ...
-- @usage local snap = project:export_snapshot_create{title = "Nightly"}
function Project:export_snapshot_create(...)
  local a = table.pack(_args("export_snapshot_create", CREATE_ARGS, ...))
  local title = errors.check(a[1] or "SDK Export", "string", "title")
  if a[2] ~= nil then errors.check(a[2], "table", "task_filter_options") end
  local interpolate = a[9] and true or false
  local body = {
    title = title,
    serialization_options = {
      drafts = {only_id = _flag(a[3])},
      predictions = {only_id = _flag(a[4])},
      annotations__completed_by = {only_id = _flag(a[5])},
      interpolate_key_frames = interpolate,
    },
    annotation_filter_options = {
      usual = _flag(a[6]), ground_truth = _flag(a[7]),
      skipped = _flag(a[8]),
    },
  }
  if a[2] ~= nil then body.task_filter_options = json.object(a[2]) end
  local _, data = self.client:_request("POST", _path(self, "/exports/"), {
    query = {interpolate_key_frames = tostring(interpolate)},
    json = body, idempotent = false,
  })
  log.debug("created export snapshot %s (%s)", tostring(data.id),
            tostring(data.status))
  return data
end


local function _export_id(id)
  if type(id) == "table" then id = id.export_id or id.id end
  return args.id(id, "export_id")
end


--- The state of a snapshot.
-- @tparam integer export_id
-- @treturn table the snapshot; `status` is one of
--   `ExportSnapshotStatus`: created, in_progress, completed, failed
function Project:export_snapshot_status(export_id)
  export_id = _export_id(export_id)
  local _, data = self.client:_request("GET",
                                       _path(self, "/exports/%d", export_id))
  return data
end


--- Asks the server to convert a snapshot to another format.
-- @tparam integer export_id
-- @tparam string export_type such as `CSV`
-- @tparam[opt=false] boolean download_resources
-- @treturn table `{export_type = ..., converted_format = id}`
function Project:export_snapshot_convert(...)
  local export_id, export_type, resources = _args("export_snapshot_convert",
    {"export_id", "export_type", "download_resources"}, ...)
  export_id = _export_id(export_id)
  errors.check(export_type, "string", "export_type")
  local _, data = self.client:_request("POST",
    _path(self, "/exports/%d/convert", export_id), {
      json = {export_type = export_type,
              download_resources = resources and true or false},
      idempotent = false,
    })
  return data
end


local function _converted(snap, export_type)
  for _, f in ipairs(snap.converted_formats or {}) do
    if f.export_type == export_type then return f end
  end
end


local function _failed(self, export_id, what, traceback)
  local tb = traceback ~= nil and traceback ~= json.null
    and (": " .. tostring(traceback):sub(-300)) or ""
  errors.raise{
    method = "GET", status = 200,
    url = self.client:get_url(_path(self, "/exports/%d", export_id)),
    detail = what .. " failed" .. tb,
  }
end


--- The state to wait on: the snapshot's, or one converted format's.
local function _state(snap, export_type)
  if export_type == nil or export_type == "JSON"
     or snap.status ~= S.COMPLETED then
    return snap.status, snap
  end
  local f = _converted(snap, export_type)
  return f and f.status, f
end


--- Waits until a snapshot (or one of its formats) is finished.
-- Polls while the state is `created` or `in_progress` (or the format
-- is not listed yet).
-- @tparam integer export_id
-- @tparam[opt] table opts `export_type` (wait for that converted
--   format too), `timeout` (s, default 600), `interval` (s, default 1)
-- @treturn table the snapshot, `status = "completed"`
-- @raise an `ApiError` when the snapshot or the conversion failed or
--   the time ran out; a misuse error for an unknown option
function Project:export_snapshot_wait(export_id, opts)
  export_id = _export_id(export_id)
  opts = args.options(opts, WAIT_OPTIONS, "export_snapshot_wait")
  local timeout = opts.timeout or WAIT_DEFAULTS.timeout
  local interval = opts.interval or WAIT_DEFAULTS.interval
  local t0 = _sys().now()
  while true do
    local snap = self:export_snapshot_status(export_id)
    local state, item = _state(snap, opts.export_type)
    if state == S.COMPLETED then return snap end
    local what = item == snap and ("export snapshot %d"):format(export_id)
      or ("conversion of snapshot %d to %s"):format(export_id,
                                                   opts.export_type)
    if state == S.FAILED then
      _failed(self, export_id, what, item and item.traceback)
    end
    if _sys().now() - t0 > timeout then
      _failed(self, export_id, what, ("still %s after %s s"):format(
        tostring(state or "not started"), timeout))
    end
    log.debug("%s is %s; waiting", what, tostring(state or "not started"))
    _sys().sleep(interval)
  end
end


local function _filename(res)
  local h = res.headers or {}
  local cd = h["Content-Disposition"] or h["content-disposition"]
  local name = cd and (cd:match('filename%*?="([^"]+)"')
                       or cd:match("filename%*?=([^;]+)"))
  if name == nil then return nil end
  return name:gsub("^UTF%-8''", ""):match("([^/\\]+)%s*$")
end


--- Makes sure a non-JSON format is converted, converting if needed.
local function _ensure_format(self, export_id, export_type, opts)
  if export_type == "JSON" then return end
  local snap = self:export_snapshot_wait(export_id, opts)
  if _converted(snap, export_type) == nil then
    self:export_snapshot_convert(export_id, export_type)
  end
  self:export_snapshot_wait(export_id, {export_type = export_type,
                                        timeout = opts.timeout,
                                        interval = opts.interval})
end


--- Downloads a snapshot into a folder, named as the server names it.
-- A format other than JSON is converted first if it is not yet.
-- @tparam integer export_id
-- @tparam[opt="JSON"] string export_type
-- @tparam[opt="."] string path the folder (made if missing)
-- @tparam[opt] table opts `timeout`, `interval` for the conversion
-- @treturn integer the HTTP status (200)
-- @treturn string the file name the server gave
-- @treturn string the path written
-- @raise an `ApiError` when the snapshot is not completed, or the
--   server names no file
function Project:export_snapshot_download(...)
  local export_id, export_type, path, opts = _args(
    "export_snapshot_download", {"export_id", "export_type", "path", "opts"},
    ...)
  export_id = _export_id(export_id)
  export_type = errors.check(export_type or "JSON", "string", "export_type")
  path = errors.check(path or ".", "string", "path")
  opts = args.options(opts, DOWNLOAD_OPTIONS, "export_snapshot_download")
  _ensure_format(self, export_id, export_type, opts)
  fs.mkdir(path)
  local tmp = ("%s/.lsrun-export-%d.part"):format(path, export_id)
  local ok, res = pcall(self.client._request, self.client, "GET",
    _path(self, "/exports/%d/download", export_id),
    {query = {exportType = export_type}, output = tmp})
  if not ok then
    os.remove(tmp)
    error(res, 0)
  end
  local name = _filename(res)
  if name == nil then
    os.remove(tmp)
    errors.raise{method = "GET", url = res.url, status = res.status,
                 detail = "the server named no file (Content-Disposition)"}
  end
  local full = path .. "/" .. name
  assert(os.rename(tmp, full))
  return res.status, name, full
end


--- Deletes a snapshot.
-- @tparam integer export_id
-- @treturn integer the HTTP status (204)
function Project:export_snapshot_delete(export_id)
  export_id = _export_id(export_id)
  local res = self.client:_request("DELETE",
                                   _path(self, "/exports/%d", export_id))
  return res.status
end


-- ------------------------------------------------------------ export ---

-- The options of `export`: Python's `**kwargs` for the snapshot, and
-- the waits' limits.
local EXPORT_OPTIONS = {"timeout", "interval"}
for i = 2, #CREATE_ARGS do
  EXPORT_OPTIONS[#EXPORT_OPTIONS + 1] = CREATE_ARGS[i]
end


-- The parameters of `export`; the last takes the rest by name.
local EXPORT_ARGS = {"filters", "title", "export_type", "output_dir", "kw",
                     flat = true}


local function _create_view(self, filters)
  local _, view = self.client:_request("POST", "/api/dm/views/", {
    json = {project = self.id, data = {title = TEMP_VIEW_TITLE,
                                       filters = filters}},
    idempotent = false,
  })
  return view.id
end


local function _delete_view(self, view_id)
  local ok, err = pcall(self.client._request, self.client, "DELETE",
                        ("/api/dm/views/%d/"):format(view_id))
  if not ok then
    log.warn("could not delete the temporary view %d: %s", view_id,
             tostring(err))
  end
end


local function _export_steps(self, view_id, title, export_type, dir, kw)
  local create = {title = title}
  for k, v in pairs(kw) do create[k] = v end
  create.timeout, create.interval = nil, nil
  if view_id then
    local tfo = {}
    for k, v in pairs(create.task_filter_options or {}) do tfo[k] = v end
    tfo.view = view_id
    create.task_filter_options = tfo
  end
  local snap = self:export_snapshot_create(create)
  local wait = {timeout = kw.timeout, interval = kw.interval}
  self:export_snapshot_wait(snap.id, wait)
  local status, name = self:export_snapshot_download(snap.id, export_type,
                                                     dir, wait)
  return {status = status, filename = name, export_id = snap.id}
end


--- Exports tasks in one call: snapshot, wait, convert, download.
-- With `filters`, a temporary view selects the tasks; it is deleted
-- afterwards even when a step fails.
-- @tparam[opt] table filters from `data_manager.Filters.create`
-- @tparam[opt="SDK Export"] string title
-- @tparam[opt="JSON"] string export_type
-- @tparam[opt="."] string output_dir
-- @tparam[opt] table kw `export_snapshot_create`'s options by name
--   (but `title`), and `timeout`, `interval` for the waits: Python's
--   `**kwargs`, so in the form by name they stand beside the others
--   (`project:export{title = "W", serialization_options_drafts =
--   false}`)
-- @treturn table `{status = 200, filename = ..., export_id = n}`
-- @raise a misuse error for an unknown option, before anything is sent
-- @usage project:export(Filters.create("and", {...}), "Mine", "CSV", "out")
function Project:export(...)
  local filters, title, export_type, output_dir, kw = _args("export",
    EXPORT_ARGS, ...)
  if filters ~= nil then errors.check(filters, "table", "filters") end
  kw = args.options(kw, EXPORT_OPTIONS, "export")
  local view_id = filters and _create_view(self, filters)
  local ok, out = pcall(_export_steps, self, view_id, title or "SDK Export",
                        export_type or "JSON", output_dir or ".", kw)
  if view_id then _delete_view(self, view_id) end
  if not ok then error(out, 0) end
  return out
end

return M
