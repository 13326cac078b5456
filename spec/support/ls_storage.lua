-- Helpers for the storage specs: the loopback stand-ins that
-- scripts/emulators started (LSRUN_S3_ENDPOINT, LSRUN_GCS_ENDPOINT,
-- LSRUN_REDIS_PORT), the server's local-files root, and a listener that
-- captures the requests lsrun sends (ls_storage_capture.py). Every
-- address is on 127.0.0.1.

local http = require "lsrun.http"
local cjson = require "cjson"
local pyserver = require "pyserver"

local M = {}


M.s3_endpoint = os.getenv("LSRUN_S3_ENDPOINT")
M.gcs_endpoint = os.getenv("LSRUN_GCS_ENDPOINT")
M.redis_port = tonumber(os.getenv("LSRUN_REDIS_PORT"))

--- The server's LOCAL_FILES_DOCUMENT_ROOT (scripts/ls-server puts it
-- under its state folder).
M.local_root = os.getenv("LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT")
  or (os.getenv("LSRUN_SERVER_DIR") or "build/ls-server") .. "/files"
if M.local_root:sub(1, 1) ~= "/" then
  M.local_root = os.getenv("PWD") .. "/" .. M.local_root
end

-- moto takes any AWS v4 header without checking the signature, and
-- refuses some anonymous requests.
local S3_AUTH = "AWS4-HMAC-SHA256 Credential=testing/20250101/us-east-1"
  .. "/s3/aws4_request, SignedHeaders=host, Signature=00"

local counter = 0


--- A fresh lower-case name for a bucket, key prefix or folder.
function M.unique(base)
  counter = counter + 1
  return ("%s-%d-%d"):format(base, os.time() % 100000, counter)
end


local function _escape(s)
  return (s:gsub("[^%w%-._~]", function(c)
    return ("%%%02X"):format(c:byte())
  end))
end


local function _request(session, req)
  local res, err = session:request(req)
  assert(res, err)
  return res
end


-- ---------------------------------------------------------------- S3 ---

local s3_session


local function _s3(req)
  s3_session = s3_session or http.session{base_url = M.s3_endpoint}
  req.headers = req.headers or {}
  req.headers.Authorization = S3_AUTH
  return _request(s3_session, req)
end


function M.s3_create_bucket(bucket)
  local res = _s3{method = "PUT", url = "/" .. bucket}
  assert(res.status == 200, "moto: create bucket: " .. res.status)
end


function M.s3_put(bucket, key, body)
  local res = _s3{method = "PUT", url = "/" .. bucket .. "/" .. key,
                  body = body}
  assert(res.status == 200, "moto: put " .. key .. ": " .. res.status)
end


--- An object's body, or nil and the status.
function M.s3_get(bucket, key)
  local res = _s3{url = "/" .. bucket .. "/" .. key}
  if res.status ~= 200 then return nil, res.status end
  return res.body
end


--- The keys under a prefix (ListObjectsV2).
function M.s3_keys(bucket, prefix)
  local res = _s3{url = "/" .. bucket, query = {["list-type"] = "2",
                                               prefix = prefix or ""}}
  assert(res.status == 200, "moto: list: " .. res.status)
  local keys = {}
  for k in res.body:gmatch("<Key>(.-)</Key>") do keys[#keys + 1] = k end
  return keys
end


-- --------------------------------------------------------------- GCS ---

local gcs_session


local function _gcs(req)
  gcs_session = gcs_session or http.session{base_url = M.gcs_endpoint}
  return _request(gcs_session, req)
end


function M.gcs_create_bucket(bucket)
  local res = _gcs{method = "POST", url = "/storage/v1/b",
                   query = {project = "lsrun-test"},
                   headers = {["Content-Type"] = "application/json"},
                   body = cjson.encode{name = bucket}}
  assert(res.status == 200, "gcs emulator: create bucket: " .. res.status)
end


function M.gcs_put(bucket, name, body)
  -- The emulator parses a JSON content type; send octets.
  local res = _gcs{method = "POST",
                   url = "/upload/storage/v1/b/" .. bucket .. "/o",
                   query = {uploadType = "media", name = name},
                   headers = {["Content-Type"] = "application/octet-stream"},
                   body = body}
  assert(res.status == 200, "gcs emulator: put " .. name .. ": "
         .. res.status)
end


function M.gcs_get(bucket, name)
  local res = _gcs{url = "/storage/v1/b/" .. bucket .. "/o/"
                     .. _escape(name), query = {alt = "media"}}
  if res.status ~= 200 then return nil, res.status end
  return res.body
end


function M.gcs_names(bucket, prefix)
  local res = _gcs{url = "/storage/v1/b/" .. bucket .. "/o",
                   query = {prefix = prefix or ""}}
  assert(res.status == 200, "gcs emulator: list: " .. res.status)
  local names = {}
  for _, item in ipairs(cjson.decode(res.body).items or {}) do
    names[#names + 1] = item.name
  end
  return names
end


-- ------------------------------------------------------------- Redis ---

local function _shell_quote(s)
  return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end


--- Runs one redis-cli command on database `db`; returns its output.
function M.redis(db, ...)
  local words = {"redis-cli", "-h", "127.0.0.1", "-p", M.redis_port,
                 "-n", db}
  for _, w in ipairs{...} do words[#words + 1] = w end
  for i, w in ipairs(words) do words[i] = _shell_quote(w) end
  local h = assert(io.popen(table.concat(words, " ") .. " 2>&1"))
  local out = h:read("a")
  h:close()
  return (out:gsub("%s+$", ""))
end


-- ------------------------------------------------------- local files ---

--- Makes a new folder under the server's local-files root.
function M.local_dir(name)
  local path = M.local_root .. "/" .. M.unique(name)
  assert(os.execute("mkdir -p " .. _shell_quote(path)))
  return path
end


function M.write_file(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end


function M.read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("a")
  f:close()
  return text
end


--- The names of the files in a folder.
function M.list_dir(path)
  local h = assert(io.popen("ls -1 " .. _shell_quote(path)))
  local names = {}
  for line in h:lines() do names[#names + 1] = line end
  h:close()
  return names
end


-- ---------------------------------------------------- capture listener ---

local Capture = {}
Capture.__index = Capture


--- Starts a listener answering every request with `status` and the
-- JSON text `body`; `capture.url`, `capture:requests()`,
-- `capture:stop()`.
function M.capture(status, body)
  local body_file = os.tmpname()
  M.write_file(body_file, body)
  local file = os.tmpname()
  local proc = pyserver.start("ls_storage_capture.py", status, body_file,
                              file)
  return setmetatable({proc = proc, file = file, body_file = body_file,
                       url = proc.url}, Capture)
end


--- The requests captured so far, each {method, path, headers, body}.
function Capture:requests()
  local out = {}
  local f = io.open(self.file)
  if f == nil then return out end
  f:close()
  for line in io.lines(self.file) do out[#out + 1] = cjson.decode(line) end
  return out
end


function Capture:stop()
  self.proc:stop()
  os.remove(self.file)
  os.remove(self.body_file)
end

return M
