--- Storage management for every provider, as `Project` methods.
--
-- `labelstudio.storage` connects and syncs; this module lists, reads,
-- changes, deletes and validates storages of any provider (`s3`,
-- `gcs`, `azure`, `redis`, `localfiles`; Python's `azure_blob`,
-- `google`, `local` are accepted too), and syncs with the sync status
-- polled until it is finished:
--
--     project:list_import_storages("s3")
--     project:get_import_storage("s3", id)
--     project:update_import_storage("s3", id, {title = "Raw"})
--     project:validate_import_storage("s3", {bucket = "b"})
--     project:sync_import_storage_wait("s3", id)
--     project:delete_import_storage("s3", id)
--
-- and the same with `export` for target storages. The legacy Python
-- SDK has none of these; the names follow its `get_import_storages`
-- and `sync_import_storage`.
--
-- The server checks an update as a whole storage, so
-- `update_*` reads the storage first and sends the stored settings
-- with the changed ones (secrets, which the server never returns, stay
-- as stored).
--
-- Caveats: secrets in `update_*` and `validate_*` bodies are
-- registered with `labelstudio.errors` before they are sent, so no
-- message shows them. `validate_*` raises an `ApiError` with the
-- server's reason when the settings do not work, and returns true
-- otherwise.
--
-- `Client:sync_storage(type, id)` is the Python `Client`'s sync of an
-- import storage of any project.
--
-- @module labelstudio.storage_admin

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local json = require "labelstudio.json"
local log = require "labelstudio.log"
local Client = require("labelstudio.client").Client
local Project = require("labelstudio.project").Project

local M = {}

--- The server's storage type names.
M.TYPES = {"s3", "gcs", "azure", "redis", "localfiles"}

local KNOWN = {}
for _, t in ipairs(M.TYPES) do KNOWN[t] = t end
KNOWN.azure_blob, KNOWN.google, KNOWN["local"] = "azure", "gcs", "localfiles"
KNOWN.local_files = "localfiles"

local SECRET_FIELDS = {"aws_secret_access_key", "aws_session_token",
                       "account_key", "google_application_credentials",
                       "password"}

-- Fields the server sets; never sent back.
local READ_ONLY = {
  id = true, type = true, created_at = true, last_sync = true,
  last_sync_count = true, last_sync_job = true, status = true,
  traceback = true, meta = true, project = true,
}

-- Sync states that are finished.
local DONE = {completed = true, completed_with_errors = true, failed = true}

local WAIT_DEFAULTS = {timeout = 600, interval = 0.5}

local WAIT_OPTIONS = {"timeout", "interval"}


local function _type(stype)
  errors.check(stype, "string", "storage_type")
  local t = KNOWN[stype:lower()]
  if t == nil then
    errors.usage("unknown storage type '" .. stype .. "'; one of "
                 .. table.concat(M.TYPES, ", "))
  end
  return t
end


local function _route(stype, export, id, suffix)
  local base = export and "/api/storages/export/" .. stype
    or "/api/storages/" .. stype
  if id == nil then return base .. (suffix or (export and "" or "/")) end
  return ("%s/%d%s"):format(base, id, suffix or "")
end


local function _id(id)
  return args.id(id, "storage_id")
end


local function _body(self, fields)
  local body = {}
  for k, v in pairs(errors.check(fields or {}, "table", "fields")) do
    body[k] = v
  end
  for _, k in ipairs(SECRET_FIELDS) do errors.add_secret(body[k]) end
  body.project = self.id
  return body
end


local function _list(self, export, stype)
  local _, data = self.client:_request("GET", _route(_type(stype), export),
                                       {query = {project = self.id}})
  return data
end


local function _get(self, export, stype, id)
  local _, data = self.client:_request("GET",
    _route(_type(stype), export, _id(id)))
  return data
end


--- The server checks a PATCH as a whole storage: fill in what the
-- caller left out from the stored settings.
local function _update(self, export, stype, id, fields)
  local body = _body(self, fields)
  for k, v in pairs(_get(self, export, stype, id)) do
    if body[k] == nil and not READ_ONLY[k] and v ~= json.null then
      body[k] = v
    end
  end
  local _, data = self.client:_request("PATCH",
    _route(_type(stype), export, _id(id)), {json = body})
  return data
end


local function _delete(self, export, stype, id)
  local res = self.client:_request("DELETE",
    _route(_type(stype), export, _id(id)))
  return res.status
end


local function _validate(self, export, stype, fields)
  self.client:_request("POST", _route(_type(stype), export, nil,
                                      "/validate"),
                       {json = _body(self, fields), idempotent = true})
  return true
end


local function _sync_wait(self, export, stype, id, opts)
  stype, id = _type(stype), _id(id)
  opts = args.options(opts, WAIT_OPTIONS, export and "sync_export_storage_wait"
                      or "sync_import_storage_wait")
  local _, data = self.client:_request("POST",
    _route(stype, export, id, "/sync"), {timeout = 600})
  local sys = require "lsrun.sys"
  local t0 = sys.now()
  while not DONE[data.status] do
    if sys.now() - t0 > (opts.timeout or WAIT_DEFAULTS.timeout) then
      errors.raise{method = "GET", status = 200,
        url = self.client:get_url(_route(stype, export, id)),
        detail = ("sync still %s after %s s"):format(tostring(data.status),
          opts.timeout or WAIT_DEFAULTS.timeout)}
    end
    log.debug("%s storage %d sync is %s", stype, id, tostring(data.status))
    sys.sleep(opts.interval or WAIT_DEFAULTS.interval)
    data = _get(self, export, stype, id)
  end
  if data.status == "failed" then
    errors.raise{method = "POST", status = 200, body = data,
      url = self.client:get_url(_route(stype, export, id, "/sync")),
      detail = "sync failed: " .. tostring(data.traceback or "no reason")
        :match("([^\n]+)\n*$")}
  end
  return data
end


--- Installs `<verb>_import_storage` and `<verb>_export_storage` (or
-- `<verb>_import_storages`), reading the parameters `names` by
-- position or all by name in one table.
local function _pair(verb, fn, names, plural)
  for _, kind in ipairs{"import", "export"} do
    local name = verb .. "_" .. kind .. "_storage" .. (plural or "")
    local own = {what = name, flat = names.flat}
    for i, n in ipairs(names) do own[i] = n end
    Project[name] = function(self, ...)
      return fn(self, kind == "export", args.named(own, ...))
    end
  end
end

local TYPE_AND_ID = {"storage_type", "storage_id"}

--- `list_import_storages(storage_type)`: the project's storages of
-- one provider; `list_export_storages` for target storages.
_pair("list", _list, {"storage_type"}, "s")
--- `get_import_storage(storage_type, storage_id)`: one storage's JSON.
_pair("get", _get, TYPE_AND_ID)
--- `update_import_storage(storage_type, storage_id, fields)`: PATCH.
_pair("update", _update, {"storage_type", "storage_id", "fields",
                          flat = true})
--- `delete_import_storage(storage_type, storage_id)`: returns the
-- status (204).
_pair("delete", _delete, TYPE_AND_ID)
--- `validate_import_storage(storage_type, fields)`: true, or raises
-- with the server's reason; `fields.id` checks with stored secrets.
_pair("validate", _validate, {"storage_type", "fields", flat = true})
--- `sync_import_storage_wait(storage_type, storage_id [, {timeout,
-- interval}])`: syncs and polls until completed; raises when the
-- sync failed.
_pair("sync", _sync_wait, {"storage_type", "storage_id", "opts",
                           flat = true}, "_wait")


local SYNC_ARGS = {"storage_type", "storage_id", what = "sync_storage"}


--- Synchronizes an import storage of any project (Python's
-- `Client.sync_storage`).
-- @tparam string storage_type `s3`, `gcs`, `azure`, `redis`,
--   `localfiles`, or Python's `azure_blob`, `google`, `local`
-- @tparam integer storage_id
-- @treturn table the storage's JSON after the sync request
-- @raise a misuse error for an unknown type; an `ApiError` when the
--   server refuses
-- @usage client:sync_storage("azure_blob", 3)
function Client:sync_storage(storage_type, storage_id)
  storage_type, storage_id = args.named(SYNC_ARGS, storage_type,
                                        storage_id)
  local stype = _type(storage_type)
  local _, data = self:_request("POST", _route(stype, false,
    _id(storage_id), "/sync"), {timeout = 600})
  return data
end

return M
