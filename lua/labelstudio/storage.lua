--- Cloud and local storages of a project: connect, sync, list.
--
-- These become `Project` methods with the Python SDK's names:
-- `connect_s3_import_storage`, `connect_s3_export_storage`,
-- `connect_google_import_storage`, `connect_google_export_storage`,
-- `connect_azure_import_storage`, `connect_azure_export_storage`,
-- `connect_local_import_storage`, `connect_local_export_storage`,
-- `connect_redis_import_storage`, `connect_redis_export_storage`,
-- `sync_import_storage`, `sync_export_storage`, `get_import_storages`
-- and `get_export_storages`.
--
-- A connector takes Python's parameters positionally, in Python's
-- order, or all of them by name in one table:
--
--     project:connect_s3_import_storage("bucket", "tasks/")
--     project:connect_s3_import_storage{bucket = "bucket",
--       prefix = "tasks/", use_blob_urls = false,
--       s3_endpoint = "http://127.0.0.1:9000"}
--
-- Defaults are Python's; a parameter left nil is not sent, so the
-- server's own default (or its environment fallback, such as
-- `AWS_ACCESS_KEY_ID`) applies. Secrets (`aws_secret_access_key`,
-- `aws_session_token`, `account_key`, `google_application_credentials`,
-- `password`) are registered with `labelstudio.errors` before anything
-- is sent, so no error or log line shows them.
--
-- Caveats: the server is the judge of a storage's settings. Unlike the
-- Python SDK, `connect_local_import_storage` does not look at the
-- client's file system (client and server may be different machines).
-- `google_application_credentials` is read from a file unless it
-- starts with `{` (then it is the JSON text itself). The Redis
-- connectors have no Python counterpart; their parameters follow the
-- server's fields. `sync_*` accept Python's storage type names
-- (`azure_blob`, `local`, `google`) as well as the server's.
--
-- @module labelstudio.storage

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local log = require "labelstudio.log"

local M = {}

-- Every payload field that holds a secret.
local SECRET_FIELDS = {
  aws_secret_access_key = true, aws_session_token = true,
  account_key = true, google_application_credentials = true,
  password = true,
}

-- Field types; anything not listed is a string.
local FIELD_TYPES = {
  use_blob_urls = "boolean", presign = "boolean",
  presign_ttl = "integer", recursive_scan = "boolean",
  can_delete_objects = "boolean", db = "integer",
  port = "integer|string", synchronizable = "boolean",
}

-- Python's ProjectStorage values and other names -> the server's.
local TYPE_ALIASES = {
  azure_blob = "azure", local_files = "localfiles", ["local"] = "localfiles",
  google = "gcs",
}

local IMPORT_DEFAULTS = {use_blob_urls = true, presign = true,
                         presign_ttl = 1, title = "", description = ""}
local EXPORT_DEFAULTS = {title = "", description = "",
                         can_delete_objects = false}
local AWS = {"aws_access_key_id", "aws_secret_access_key",
             "aws_session_token", "region_name", "s3_endpoint"}


local function _join(...)
  local out = {}
  for _, list in ipairs{...} do
    for _, v in ipairs(list) do out[#out + 1] = v end
  end
  return out
end


-- Each connector: the storage type, import or export, the positional
-- parameters in Python's order (the first is required), the defaults,
-- fields only taken by name, and fields always sent.
local CONNECTORS = {
  connect_s3_import_storage = {
    type = "s3",
    params = _join({"bucket", "prefix", "regex_filter", "use_blob_urls",
      "presign", "presign_ttl", "title", "description"}, AWS,
      {"recursive_scan"}),
    defaults = IMPORT_DEFAULTS, extra = {"aws_sse_kms_key_id"},
  },
  connect_s3_export_storage = {
    type = "s3", export = true,
    params = _join({"bucket", "prefix", "title", "description"}, AWS,
      {"can_delete_objects"}),
    defaults = EXPORT_DEFAULTS, extra = {"aws_sse_kms_key_id"},
  },
  connect_google_import_storage = {
    type = "gcs",
    params = {"bucket", "prefix", "regex_filter", "use_blob_urls",
      "google_application_credentials", "presign", "presign_ttl", "title",
      "description"},
    defaults = IMPORT_DEFAULTS,
    extra = {"google_project_id", "recursive_scan"},
  },
  connect_google_export_storage = {
    type = "gcs", export = true,
    params = {"bucket", "prefix", "google_application_credentials",
      "title", "description", "can_delete_objects"},
    defaults = EXPORT_DEFAULTS, extra = {"google_project_id"},
  },
  connect_azure_import_storage = {
    type = "azure",
    params = {"container", "prefix", "regex_filter", "use_blob_urls",
      "presign", "presign_ttl", "title", "description", "account_name",
      "account_key"},
    defaults = IMPORT_DEFAULTS, extra = {"recursive_scan"},
  },
  connect_azure_export_storage = {
    type = "azure", export = true,
    params = {"container", "prefix", "title", "description",
      "account_name", "account_key", "can_delete_objects"},
    defaults = EXPORT_DEFAULTS,
  },
  connect_local_import_storage = {
    type = "localfiles",
    params = {"local_store_path", "regex_filter", "use_blob_urls", "title",
      "description"},
    defaults = IMPORT_DEFAULTS, extra = {"recursive_scan"},
    fixed = {presign = false, presign_ttl = 1},
  },
  connect_local_export_storage = {
    type = "localfiles", export = true,
    params = {"local_store_path", "regex_filter", "title", "description",
      "can_delete_objects"},
    defaults = EXPORT_DEFAULTS,
  },
  connect_redis_import_storage = {
    type = "redis",
    params = {"path", "host", "port", "password", "db", "regex_filter",
      "use_blob_urls", "title", "description"},
    defaults = {use_blob_urls = false, title = "", description = ""},
    optional_first = true,
  },
  connect_redis_export_storage = {
    type = "redis", export = true,
    params = {"path", "host", "port", "password", "db", "title",
      "description", "can_delete_objects"},
    defaults = EXPORT_DEFAULTS, optional_first = true,
  },
}


-- ---------------------------------------------------------- helpers ---

--- The API path of a storage type's list, or of one storage.
local function _route(stype, export, id, suffix)
  local base = export and "/api/storages/export/" .. stype
    or "/api/storages/" .. stype
  if id == nil then return export and base or base .. "/" end
  return ("%s/%d%s"):format(base, id, suffix or "")
end


--- Reads a connector's arguments: positional, or one table by name.
local function _arguments(name, spec, ...)
  local first = ...
  if type(first) == "table" and select("#", ...) == 1 then
    args.check_keys(first, spec.known, name, "parameter")
    return args.copy(first)
  end
  args.at_most(#spec.params, name, ...)
  local out = {}
  for i, p in ipairs(spec.params) do out[p] = (select(i, ...)) end
  return out
end


--- Checks the argument types and fills in the defaults.
local function _complete(name, spec, a)
  local required = spec.params[1]
  if a[required] == nil and not spec.optional_first then
    errors.usage(("%s: %s is required"):format(name, required))
  end
  for k, v in pairs(a) do
    errors.check(v, FIELD_TYPES[k] or "string", name .. ": " .. k)
  end
  for k, v in pairs(spec.defaults) do
    if a[k] == nil then a[k] = v end
  end
  return a
end


--- Reads service-account JSON from a file unless it is JSON text.
local function _google_credentials(value)
  if value == nil or value == "" or value:match("^%s*{") then
    return value
  end
  local f = io.open(value, "rb")
  if f == nil then
    errors.usage("google_application_credentials: cannot read the file "
                 .. value .. " (give a file path or the JSON text)")
  end
  local text = f:read("a")
  f:close()
  return text
end


--- Registers every secret of a payload, and the private key inside
-- service-account JSON, so that no message shows them.
local function _register_secrets(body)
  for field in pairs(SECRET_FIELDS) do
    local v = body[field]
    if type(v) == "string" then
      errors.add_secret(v)
      for key in v:gmatch('"private_key"%s*:%s*"(.-[^\\])"') do
        errors.add_secret(key)
      end
    end
  end
end


--- The request body of a connector from its completed arguments.
local function _payload(project, spec, a)
  local body = {project = project.id}
  for k, v in pairs(a) do body[k] = v end
  for k, v in pairs(spec.fixed or {}) do body[k] = v end
  if body.local_store_path ~= nil then
    body.path, body.local_store_path = body.local_store_path, nil
  end
  if math.type(body.port) == "integer" then
    body.port = tostring(body.port)
  end
  if body.google_application_credentials ~= nil then
    body.google_application_credentials =
      _google_credentials(body.google_application_credentials)
  end
  _register_secrets(body)
  return body
end


local function _connector(name, spec)
  spec.known = _join(spec.params, spec.extra or {})
  return function(self, ...)
    local body = _payload(self, spec,
                          _complete(name, spec, _arguments(name, spec, ...)))
    local _, data = self.client:_request("POST",
      _route(spec.type, spec.export), {json = body, idempotent = false,
                                       timeout = 600})
    log.debug("connected %s %s storage %s to project %d", spec.type,
              spec.export and "export" or "import",
              tostring(type(data) == "table" and data.id), self.id)
    return data
  end
end


--- Reads `(storage_type, storage_id)`, `{storage_type=, storage_id=}`
-- or a storage's JSON (`{type=, id=}`) as returned by a connector.
local function _storage_ref(what, stype, id)
  if type(stype) == "table" and id == nil then
    local t = stype
    stype, id = t.storage_type or t.type, t.storage_id or t.id
  end
  errors.check(stype, "string", what .. ": storage_type")
  args.id(id, what .. ": storage_id")
  return TYPE_ALIASES[stype] or stype, id
end


local function _sync(self, what, export, ...)
  local stype, id = _storage_ref(what, ...)
  local _, data = self.client:_request("POST",
    _route(stype, export, id, "/sync"), {timeout = 600})
  if type(data) == "table" and data.status == "failed" then
    local last = tostring(data.traceback or ""):match("([^\n]+)\n*$")
    log.warn("%s storage %d failed to sync: %s", stype, id,
             errors.mask(last or "no reason given"))
  end
  return data
end


-- ---------------------------------------------------------- methods ---

--- Synchronizes an import storage: new objects become tasks.
-- @tparam string storage_type `s3`, `gcs`, `azure`, `localfiles`,
--   `redis` (or Python's `azure_blob`), or the storage's JSON
-- @tparam integer storage_id
-- @treturn table the storage's JSON after the sync (`status`,
--   `last_sync_count`, ...)
-- @raise an `ApiError` when the server refuses
-- @usage project:sync_import_storage("s3", storage.id)
function M.sync_import_storage(self, ...)
  return _sync(self, "sync_import_storage", false, ...)
end


--- Synchronizes an export storage: annotations are written to it.
-- @tparam string storage_type as for `sync_import_storage`
-- @tparam integer storage_id
-- @treturn table the storage's JSON after the sync
function M.sync_export_storage(self, ...)
  return _sync(self, "sync_export_storage", true, ...)
end


--- The project's import storages, of every type.
-- @treturn {table,...} each storage's JSON (`id`, `type`, ...)
function M.get_import_storages(self)
  local _, data = self.client:_request("GET", "/api/storages/", {
    query = {project = self.id},
  })
  return data
end


--- The project's export storages, of every type.
-- @treturn {table,...}
function M.get_export_storages(self)
  local _, data = self.client:_request("GET", "/api/storages/export", {
    query = {project = self.id},
  })
  return data
end


-- -------------------------------------------------------- connectors ---

--- Connects an S3 bucket as a source of tasks.
-- @function connect_s3_import_storage
-- @tparam string bucket
-- @param[opt] ... `prefix`, `regex_filter`, `use_blob_urls` (true),
--   `presign` (true), `presign_ttl` (1), `title` (""), `description`
--   (""), `aws_access_key_id`, `aws_secret_access_key`,
--   `aws_session_token`, `region_name`, `s3_endpoint`, `recursive_scan`
--   (false); by name also `aws_sse_kms_key_id`
-- @treturn table the storage's JSON (`id`, `type`, ...); not synced yet
-- @raise an `ApiError` (400) when the server cannot reach the bucket,
--   or an import prefix holds no object
-- @usage local s = project:connect_s3_import_storage{bucket = "b",
--   prefix = "tasks/", use_blob_urls = false}
-- project:sync_import_storage(s)

--- Connects an S3 bucket as a target for annotations.
-- @function connect_s3_export_storage
-- @tparam string bucket
-- @param[opt] ... `prefix`, `title`, `description`, the AWS parameters
--   as for import, `can_delete_objects` (false)

--- Connects a Google Cloud Storage bucket as a source of tasks.
-- @function connect_google_import_storage
-- @tparam string bucket
-- @param[opt] ... `prefix`, `regex_filter`, `use_blob_urls` (true),
--   `google_application_credentials` (a file path or the JSON text),
--   `presign` (true), `presign_ttl` (1), `title`, `description`; by
--   name also `google_project_id`, `recursive_scan`

--- Connects a Google Cloud Storage bucket as a target.
-- @function connect_google_export_storage
-- @tparam string bucket
-- @param[opt] ... `prefix`, `google_application_credentials`, `title`,
--   `description`, `can_delete_objects` (false)

--- Connects an Azure blob container as a source of tasks.
-- @function connect_azure_import_storage
-- @tparam string container
-- @param[opt] ... `prefix`, `regex_filter`, `use_blob_urls` (true),
--   `presign` (true), `presign_ttl` (1), `title`, `description`,
--   `account_name`, `account_key`

--- Connects an Azure blob container as a target.
-- @function connect_azure_export_storage
-- @tparam string container
-- @param[opt] ... `prefix`, `title`, `description`, `account_name`,
--   `account_key`, `can_delete_objects` (false)

--- Connects a folder on the server's machine (under its
-- `LOCAL_FILES_DOCUMENT_ROOT`) as a source of tasks.
-- @function connect_local_import_storage
-- @tparam string local_store_path an absolute path on the server
-- @param[opt] ... `regex_filter`, `use_blob_urls` (true), `title`,
--   `description`; by name also `recursive_scan`

--- Connects a folder on the server's machine as a target.
-- @function connect_local_export_storage
-- @tparam string local_store_path
-- @param[opt] ... `regex_filter`, `title`, `description`,
--   `can_delete_objects` (false)

--- Connects Redis keys (values: task JSON) as a source of tasks.
-- @function connect_redis_import_storage
-- @tparam[opt] string path the key prefix
-- @param[opt] ... `host`, `port`, `password`, `db` (the server's
--   default: 1), `regex_filter`, `use_blob_urls` (false), `title`,
--   `description`

--- Connects a Redis database as a target.
-- @function connect_redis_export_storage
-- @tparam[opt] string path
-- @param[opt] ... `host`, `port`, `password`, `db` (the server's
--   default: 2), `title`, `description`, `can_delete_objects` (false)

for name, spec in pairs(CONNECTORS) do
  M[name] = _connector(name, spec)
end


--- The parameters of each connector, in positional order.
M.PARAMETERS = {}
for name, spec in pairs(CONNECTORS) do M.PARAMETERS[name] = spec.params end


--- Adds the storage methods to the `Project` class.
-- @tparam table Project the class
function M.install(Project)
  for name, fn in pairs(M) do
    if type(fn) == "function" and name ~= "install" then
      Project[name] = fn
    end
  end
end

return M
