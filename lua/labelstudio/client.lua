--- The connection to a Label Studio server: `Client`.
--
-- Mirrors the Python SDK's legacy `Client`: `Client{url=, api_key=}`
-- (or `Client(url, api_key, opts)`), `check_connection`,
-- `make_request`, `start_project`/`create_project`, `get_project`,
-- `get_projects`, `delete_project`, `get_url`.
--
-- Both kinds of API key work. A legacy token (40 hex digits) is sent
-- as `Authorization: Token <key>`. A personal access token (a JWT
-- refresh token) is exchanged at `api/token/refresh/` for a short-lived
-- access token sent as `Bearer`; it is refreshed shortly before it
-- expires and once more when the server answers 401.
--
-- Caveats: the access token's expiry is read from its payload with
-- the local clock; a clock far off makes the first request after
-- expiry take the 401 path. Keys are kept out of every message and
-- log line, and out of `tostring(client)`.
--
-- @module labelstudio.client

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local json = require "labelstudio.json"
local log = require "labelstudio.log"
local Project = require "labelstudio.project"

local M = {}

local Client = {}
Client.__index = Client
Client.__name = "labelstudio.Client"
M.Client = Client

local DEFAULTS = {
  url = "http://localhost:8080",
  timeout = 180,
  connect_timeout = 10,
  retries = 3,
  verify = true,
}

local OPTION_TYPES = {
  url = "string", api_key = "string", timeout = "number",
  connect_timeout = "number", retries = "number", verify = "boolean",
  ca_file = "string", extra_headers = "table", headers = "table",
  oidc_token = "string", max_in_flight = "number", user_agent = "string",
  retry_budget = "number", versions = "table", credentials = "table",
  make_request_raise = "boolean", cookies = "table",
}

-- The options of `make_request`: Python's `raise_exceptions` and the
-- `requests` keywords lsrun takes (`params`, `json`, `headers`,
-- `timeout`), and lsrun's own.
local MAKE_REQUEST_OPTIONS = {
  "query", "params", "json", "body", "file", "form", "headers", "output",
  "timeout", "low_speed_time", "idempotent", "retries", "raise_exceptions",
  "data", "files",
}

-- The type each of those options must have.
local MAKE_REQUEST_TYPES = {
  query = "table", params = "table", body = "string", file = "string",
  form = "table", headers = "table", output = "string",
  timeout = "number", low_speed_time = "number", idempotent = "boolean",
  retries = "integer", raise_exceptions = "boolean", data = "string|table",
  files = "table",
}


local function _urlencode(s)
  return (tostring(s):gsub("[^%w%-%._~]", function(ch)
    return ("%%%02X"):format(ch:byte())
  end))
end


--- A table as requests sends `data=` alone: form-urlencoded, keys
-- sorted, a list value as the key repeated.
local function _form_urlencoded(t)
  local keys, out = {}, {}
  for k in pairs(t) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = t[k]
    for _, x in ipairs(type(v) == "table" and v or {v}) do
      out[#out + 1] = _urlencode(k) .. "=" .. _urlencode(x)
    end
  end
  return table.concat(out, "&")
end


--- Turns `json`, or requests' `data` and `files`, into a body or a
-- multipart form, encoding the JSON once (a value that cannot be sent
-- is a misuse error): a string is the body, a table alone is
-- form-urlencoded, and with `files` (a path, or `{path=|data=,
-- filename=, content_type=}` per field) both go in a multipart form.
local function _body_options(o, data, files)
  if o.json ~= nil then
    local ok, text = pcall(json.encode, o.json)
    if not ok then
      errors.usage("make_request's json cannot be sent: "
                   .. tostring(text):gsub("^[^:]*:%d+: ", ""))
    end
    o.body, o.json = text, nil
    o.headers = args.copy(o.headers)
    o.headers["Content-Type"] = o.headers["Content-Type"]
      or "application/json"
  elseif files ~= nil then
    o.form = {}
    for k, v in pairs(type(data) == "table" and data or {}) do
      o.form[k] = type(v) == "table" and table.concat(v, ",")
                  or tostring(v)
    end
    for k, v in pairs(files) do
      o.form[k] = type(v) == "string" and {path = v} or v
    end
  elseif type(data) == "table" then
    o.body = _form_urlencoded(data)
    o.headers = args.copy(o.headers)
    o.headers["Content-Type"] = o.headers["Content-Type"]
      or "application/x-www-form-urlencoded"
  elseif data ~= nil then
    o.body = data
  end
  return o
end


local BODY_OPTIONS = {"body", "json", "file", "form", "data"}
local FILE_FIELDS = {"path", "data", "filename", "content_type"}


--- Checks that at most one way of giving the body is used (`files`
-- goes with a table of `data`), that `data` holds only scalars or
-- lists of them, and that each of `files` is a path or a table of
-- FILE_FIELDS.
local function _check_body_options(o)
  local given
  for _, k in ipairs(BODY_OPTIONS) do
    if o[k] ~= nil then
      if given then
        errors.usage(("make_request: give %s or %s, not both"):format(
          given, k))
      end
      given = k
    end
  end
  if o.files ~= nil and given and given ~= "data" then
    errors.usage("make_request: give files or " .. given .. ", not both")
  end
  if o.files ~= nil and type(o.data) == "string" then
    errors.usage("make_request: data beside files must be a table of"
                 .. " form fields, not a string")
  end
  for k, v in pairs(type(o.data) == "table" and o.data or {}) do
    for i, x in pairs(type(v) == "table" and v or {v}) do
      if type(x) == "table" or math.type(i) ~= "integer" then
        errors.usage(("make_request's data field %s must be a string,"
          .. " a number or a list of them"):format(tostring(k)))
      end
    end
  end
  for k, v in pairs(o.files or {}) do
    if type(v) == "table" then
      args.check_keys(v, FILE_FIELDS, "make_request's files." .. k)
    else
      errors.check(v, "string", "make_request's files." .. tostring(k))
    end
  end
end


--- Checks make_request's options at the caller: their types, query
-- values the server can read, one way of giving the body.
local function _check_request_options(o)
  for k, want in pairs(MAKE_REQUEST_TYPES) do
    if o[k] ~= nil then errors.check(o[k], want, "make_request's " .. k) end
  end
  _check_body_options(o)
  for k, v in pairs(o.query or o.params or {}) do
    local list = type(v) == "table" and v or {v}
    for i, x in pairs(list) do
      if math.type(i) ~= "integer"
         or not (type(x) == "string" or type(x) == "boolean"
                 or (math.type(x) and x == x and math.abs(x) ~= math.huge))
      then
        errors.usage(("make_request's query value %s must be a string,"
          .. " a finite number, a boolean or a list of them"):format(
          tostring(k)))
      end
    end
  end
end


-- The same, when the method and path come in the table as well.
local MAKE_REQUEST_NAMED = {"method", "path", "url"}
for _, k in ipairs(MAKE_REQUEST_OPTIONS) do
  MAKE_REQUEST_NAMED[#MAKE_REQUEST_NAMED + 1] = k
end

-- What the SDK's own modules may put in a request's options.
local REQUEST_KEYS = {}
for _, k in ipairs(MAKE_REQUEST_OPTIONS) do REQUEST_KEYS[k] = true end
REQUEST_KEYS.raise, REQUEST_KEYS.ok = true, true
REQUEST_KEYS.total_timeout = true

-- The query parameters of the project list (`GET /api/projects/`).
local PROJECT_QUERY = {"page", "page_size", "title", "ids", "filter",
                       "ordering", "include"}

-- The server's largest page of projects.
local PROJECT_PAGE_MAX = 100

-- Refresh an access token this many seconds before it expires.
local REFRESH_MARGIN = 30

local host_ok, host = pcall(require, "lsrun")
local VERSION = host_ok and type(host) == "table" and host.version or "?"


local function _sys()
  return require "lsrun.sys"
end


-- ------------------------------------------------------------ tokens ---

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


--- Decodes base64url text (no padding needed); nil if it is not.
local function _b64url_decode(s)
  local out, bits, n = {}, 0, 0
  for i = 1, #s do
    local v = B64:find(s:sub(i, i), 1, true)
    if v == nil then return nil end
    bits = (bits << 6) | (v - 1)
    n = n + 6
    if n >= 8 then
      n = n - 8
      out[#out + 1] = string.char((bits >> n) & 0xFF)
    end
  end
  return table.concat(out)
end


--- The payload of a JWT as a table, or nil if `s` is not a JWT.
local function _jwt_payload(s)
  local payload = s:match("^[%w_-]+%.([%w_-]+)%.[%w_-]+$")
  local text = payload and _b64url_decode(payload)
  if text == nil then return nil end
  local ok, t = pcall(json.decode, text)
  return ok and type(t) == "table" and t or nil
end


-- ------------------------------------------------------ construction ---

local function _getenv(name)
  local v = os.getenv(name)
  if v ~= nil and v ~= "" then return v end
end


--- Reads the arguments: `(opts)`, `(url [, api_key [, opts]])`.
local function _options(url, api_key, opts)
  if type(url) == "table" then
    if api_key ~= nil or opts ~= nil then
      errors.usage("Client{...} takes one table of options")
    end
    return url
  end
  local o = {}
  if opts ~= nil then
    errors.check(opts, "table", "Client's options")
    for k, v in pairs(opts) do o[k] = v end
  end
  if url ~= nil then o.url = errors.check(url, "string", "url") end
  if api_key ~= nil then
    o.api_key = errors.check(api_key, "string", "api_key")
  end
  return o
end


local function _check_options(o)
  args.check_keys(o, OPTION_TYPES, "Client")
  for k, v in pairs(o) do
    errors.check(v, OPTION_TYPES[k], "Client option " .. k)
  end
end


--- Classifies the key: "token", "pat" (refresh JWT) or "access" (JWT).
local function _key_kind(key)
  local p = _jwt_payload(key)
  if p == nil then return "token" end
  if p.token_type == "refresh" then
    if type(p.exp) == "number" and p.exp < _sys().time() then
      errors.usage("the personal access token (api_key) has expired;"
                   .. " create a new one in Label Studio")
    end
    return "pat"
  end
  return "access", p
end


--- A `timeout` as Python's requests reads it, the seconds a request
-- may go without a byte, as curl's low-speed limit (whole seconds).
local function _stall(timeout)
  return timeout and math.max(1, math.ceil(timeout))
end


local function _session(self, o)
  local http = require "lsrun.http"
  local headers = {}
  for k, v in pairs(o.extra_headers or o.headers or {}) do
    headers[k] = v
  end
  local cookies = {}
  for k, v in pairs(o.cookies or {}) do
    errors.check(k, "string", "a cookie's name")
    v = tostring(errors.check(v, "string|number", "cookie " .. k))
    if not k:match("^[%w!#$%%&'*+.^_`|~-]+$")
       or not v:match('^[^%s;,"\\%c]*$') then
      errors.usage(("cookie %s: a name or value with a space, ';', ','"
                    .. " or a control character would change the"
                    .. " header"):format(k))
    end
    cookies[#cookies + 1] = k .. "=" .. v
  end
  table.sort(cookies)
  if #cookies > 0 then headers.Cookie = table.concat(cookies, "; ") end
  if o.oidc_token then
    errors.add_secret(o.oidc_token)
    headers["Proxy-Authorization"] = "Bearer " .. o.oidc_token
  end
  return http.session{
    base_url = self.url, headers = headers, timeout = 0,
    low_speed_time = _stall(o.timeout),
    connect_timeout = o.connect_timeout, verify = o.verify,
    ca_file = o.ca_file, retries = o.retries,
    retry_budget = o.retry_budget, max_in_flight = o.max_in_flight,
    user_agent = o.user_agent or ("lsrun/" .. VERSION),
  }
end


--- Raises at the caller for a missing, empty or unsendable key; the
-- message never holds the key.
local function _check_key(key)
  if key == nil then
    errors.usage("Client needs an API key: pass api_key or set"
                 .. " LABEL_STUDIO_API_KEY")
  end
  if key:match("^%s*$") then errors.usage("Client api_key is empty") end
  if key:find("%c") then
    errors.usage("Client api_key holds a line break or another control"
                 .. " character (read from a file without trimming it?)")
  end
end


--- Connects to a Label Studio server. No request is made yet.
-- @tparam[opt] string|table url the server's URL (default
--   `LABEL_STUDIO_URL`, then `http://localhost:8080`), or all options
--   in one table
-- @tparam[opt] string api_key a legacy token or a personal access token
--   (default `LABEL_STUDIO_API_KEY`)
-- @tparam[opt] table opts `timeout` (s, default 180: how long a
--   request may go without a byte, as Python's read timeout; a long
--   transfer that keeps moving is never cut),
--   `connect_timeout` (10), `retries` (3), `verify` (true), `ca_file`,
--   `extra_headers` (or `headers`): sent on every request,
--   `oidc_token`: sent as `Proxy-Authorization: Bearer`,
--   `cookies` (a table of names and values): sent as a `Cookie`
--   header on every request, `make_request_raise` (true): whether
--   `make_request` raises on a status of 400 or more when its call
--   does not say (`raise_exceptions`), as in Python,
--   `credentials`: `{email=, password=}` to log in for the key when no
--   `api_key` is given (`labelstudio.login`)
-- @treturn Client
-- @raise when no key is given or found, the key is empty or holds a
--   control character, or an option is wrong
-- @usage local client = ls.Client{url = "http://127.0.0.1:8080",
--                                 api_key = os.getenv("KEY")}
function M.new(url, api_key, opts)
  local o = {}
  for k, v in pairs(_options(url, api_key, opts)) do o[k] = v end
  _check_options(o)
  o.url = o.url or _getenv("LABEL_STUDIO_URL") or DEFAULTS.url
  for k, v in pairs(DEFAULTS) do
    if o[k] == nil then o[k] = v end
  end
  if not o.url:match("^https?://[^/]") then
    errors.usage("Client url must start with http:// or https://")
  end
  local self = setmetatable({}, Client)
  self.url = errors.redact_url(o.url:gsub("/+$", ""))
  self._raw_url = o.url:gsub("/+$", "")
  self._session = _session(setmetatable({url = self._raw_url}, Client), o)
  if o.credentials ~= nil and o.api_key == nil then
    o.api_key = require("labelstudio.login").api_key(self._session,
      self._raw_url, o.credentials)
  end
  o.api_key = o.api_key or _getenv("LABEL_STUDIO_API_KEY")
  _check_key(o.api_key)
  errors.add_secret(o.api_key)
  self._key = o.api_key
  self._key_kind = _key_kind(o.api_key)
  self._options = o
  return self
end


function Client:__tostring()
  return ("labelstudio.Client(%s)"):format(self.url)
end


-- --------------------------------------------------------- requests ---

local IDEMPOTENT = {GET = true, HEAD = true, PUT = true, DELETE = true,
                    OPTIONS = true}


local function _header(res, name)
  local h = res.headers
  if h == nil then return nil end
  return h[name] or h[name:lower()]
end


--- Decodes a response body that holds JSON; nil otherwise.
local function _decode(res)
  local body = res.body
  if type(body) ~= "string" or body == "" then return nil end
  local ctype = _header(res, "Content-Type") or ""
  local first = body:match("^%s*(.)")
  if not ctype:find("json", 1, true) and first ~= "{" and first ~= "[" then
    return nil
  end
  local ok, v = pcall(json.decode, body)
  if ok then return v end
end


local function _full_url(self, path)
  if path:match("^https?://") then return path end
  return self._raw_url .. "/" .. path:gsub("^/+", "")
end


--- At most `n` bytes of `s`, not cutting a UTF-8 sequence in two.
local function _cut(s, n)
  if #s <= n then return s end
  s = s:sub(1, n)
  local tail = s:match("[\192-\255][\128-\191]*$")
  if tail and utf8.len(tail) == nil then s = s:sub(1, #s - #tail) end
  return s
end


--- A case-blind Lua pattern for an HTML tag name.
local function _tag(name)
  return (name:gsub("%a", function(c)
    return "[" .. c:upper() .. c:lower() .. "]"
  end))
end


--- The readable part of a body that is not JSON: an HTML page's
-- title, else its text without tags, scripts and styles.
local function _body_text(body)
  local title = body:match("<" .. _tag("title") .. "[^>]*>(.-)</")
  title = title and title:gsub("%s+", " "):match("^ ?(.-) ?$")
  if title and title ~= "" then return _cut(title, 200) end
  for _, name in ipairs{"script", "style"} do
    local t = _tag(name)
    body = body:gsub("<" .. t .. ".-</" .. t .. "%s*>", " ")
  end
  local text = body:gsub("<[^>]*>", " "):gsub("%s+", " ")
  return _cut(text:match("^ ?(.-) ?$"), 200)
end


--- Raises for a successful answer whose body is not the JSON it
-- claims to be, or is an HTML page where the API answers JSON (a
-- proxy's login page, or a url that is not Label Studio's).
local function _check_body(self, method, path, res)
  local body = res.body
  if type(body) ~= "string" or body:match("^%s*$") then return end
  local ctype = (_header(res, "Content-Type") or ""):lower()
  local why
  if ctype:find("json", 1, true) then
    local ok, err = pcall(json.decode, body)
    if ok then return end
    why = "the answer is not valid JSON: " .. tostring(err)
  elseif ctype:find("html", 1, true)
         and (path:match("^/?api/") or path:match("^/?health$")) then
    why = ("the answer is an HTML page (%s), not JSON: is the url"
           .. " Label Studio's?"):format(_body_text(body))
  else
    return
  end
  errors.raise{method = method, url = res.url or _full_url(self, path),
               status = res.status, detail = why}
end


--- The error for a response with a failing status: the server's
-- `detail` and `validation_errors` from JSON, else the readable part
-- of the body (an HTML error page's title).
local function _status_error(self, method, path, res, data)
  local detail, verrors
  if type(data) == "table" then
    detail = data.detail or data.message or data.error
    verrors = data.validation_errors
    if detail == nil and verrors == nil and next(data) ~= nil
       and data[1] == nil then
      verrors = data
    end
  elseif type(res.body) == "string" and res.body ~= "" then
    detail = _body_text(res.body)
  end
  if type(detail) ~= "string" then detail = detail and json.encode(detail) end
  return errors.new{
    method = method, url = res.url or _full_url(self, path),
    status = res.status, detail = detail, validation_errors = verrors,
    request_id = _header(res, "X-Request-Id")
      or res.request_id or (type(data) == "table" and data.id) or nil,
    body = data,
  }
end


--- Raises the error for a response with a failing status.
local function _raise_status(self, method, path, res, data)
  error(_status_error(self, method, path, res, data), 0)
end


local function _raise_transport(self, method, path, msg, info)
  info = info or {}
  local idempotent = info.idempotent
  if idempotent == nil then idempotent = IDEMPOTENT[method] end
  errors.raise{
    method = method, url = info.url or _full_url(self, path),
    kind = info.kind or "transport error",
    detail = msg, sent = info.sent,
    may_have_landed = info.sent and not idempotent or nil,
  }
end


--- Gets an access token for a personal access token.
function Client:_refresh()
  local res, msg, info = self._session:request{
    method = "POST", url = "/api/token/refresh/",
    headers = {["Content-Type"] = "application/json"},
    body = json.encode{refresh = self._key}, idempotent = true,
  }
  if res == nil then
    _raise_transport(self, "POST", "/api/token/refresh/", msg, info)
  end
  local data = _decode(res)
  if res.status ~= 200 or type(data) ~= "table"
     or type(data.access) ~= "string" then
    _raise_status(self, "POST", "/api/token/refresh/", res, data)
  end
  errors.add_secret(data.access)
  local p = _jwt_payload(data.access) or {}
  self._access = data.access
  self._access_exp = type(p.exp) == "number" and p.exp or nil
  log.debug("exchanged the personal access token for an access token")
end


function Client:_auth_header(force_refresh)
  if self._key_kind ~= "pat" then
    return (self._key_kind == "access" and "Bearer " or "Token ")
      .. self._key
  end
  local now = _sys().time()
  if force_refresh or self._access == nil
     or (self._access_exp and now >= self._access_exp - REFRESH_MARGIN)
  then
    self:_refresh()
  end
  return "Bearer " .. self._access
end


local DEFAULT_PORTS = {http = "80", https = "443"}


--- `scheme://host:port` of an absolute URL, lowercased; nil for a
-- path.
local function _origin(url)
  local scheme, authority = url:match("^(%a[%w+.-]*)://([^/?#]*)")
  if not scheme then return nil end
  scheme = scheme:lower()
  local host = authority:gsub("^.*@", ""):lower()
  if not host:match(":%d+$") then
    host = host .. ":" .. (DEFAULT_PORTS[scheme] or "")
  end
  return scheme .. "://" .. host
end


--- Whether a request to `path` goes to the client's own server: a
-- path, or an absolute URL of the same origin. Only those carry the
-- key.
local function _own_server(self, path)
  local origin = _origin(path)
  return origin == nil or origin == _origin(self._raw_url)
end


local function _request_table(self, method, path, opts, auth)
  for k in pairs(opts) do
    if not REQUEST_KEYS[k] then
      error("internal: unknown request option '" .. tostring(k) .. "'", 2)
    end
  end
  local headers = {}
  for k, v in pairs(opts.headers or {}) do headers[k] = v end
  if _own_server(self, path) then headers.Authorization = auth end
  local req = {
    method = method, url = path, query = opts.query or opts.params,
    headers = headers, body = opts.body, file = opts.file,
    form = opts.form, output = opts.output,
    timeout = opts.total_timeout,
    low_speed_time = opts.low_speed_time or _stall(opts.timeout),
    idempotent = opts.idempotent, retries = opts.retries,
  }
  if opts.json ~= nil then
    req.body = json.encode(opts.json)
    headers["Content-Type"] = headers["Content-Type"] or "application/json"
  end
  return req
end


--- Sends one request and returns the response and its decoded JSON.
-- `opts`: `query`, `json`, `body`, `file`, `form`, `headers`,
-- `output`, `timeout`, `low_speed_time`, `idempotent`, `retries`,
-- `raise` (default true),
-- `ok` (a set of statuses that do not raise).
function Client:_request(method, path, opts)
  opts = opts or {}
  local req = _request_table(self, method, path, opts, self:_auth_header())
  local t0 = _sys().now()
  local res, msg, info = self._session:request(req)
  if res and res.status == 401 and self._key_kind == "pat"
     and req.headers.Authorization then
    log.debug("401 with an access token: refreshing it once")
    req.headers.Authorization = self:_auth_header(true)
    res, msg, info = self._session:request(req)
  end
  if res == nil then _raise_transport(self, method, path, msg, info) end
  log.debug("%s %s -> %d (%.3f s)", method,
            errors.redact_url(res.url or _full_url(self, path)),
            res.status, _sys().now() - t0)
  local data = _decode(res)
  local ok = opts.ok and opts.ok[res.status]
  if res.status >= 400 and opts.raise ~= false and not ok then
    _raise_status(self, method, path, res, data)
  end
  if data == nil and res.status < 400 then
    _check_body(self, method, path, res)
  end
  return res, data
end


--- Sends any request to the API, for endpoints the SDK does not wrap.
-- @tparam string method `GET`, `POST`, `PATCH`, `PUT`, `DELETE` ...
-- @tparam string path relative to the client's URL (`/api/...`), or an
--   absolute URL
-- @tparam[opt] table opts `query` (or `params`), `json`, `body`,
--   `file`, `form`, `headers`, `output` (a path to stream the body to),
--   `timeout`, `low_speed_time` (s without a byte), `idempotent`,
--   `retries`, `raise_exceptions` (default: the client's
--   `make_request_raise`, true), and requests' `data` (a string: the
--   body; a table: a form-urlencoded body) and `files` (field names to
--   a path or `{path=|data=, filename=, content_type=}`: a multipart
--   form, with `data`'s fields)
-- @treturn table the response: `status`, `headers`, `body`, `url`,
--   and `json` when the body is JSON
-- @raise a misuse error, before anything is sent, for a method that
--   is not an HTTP token or an unknown option; an `ApiError` on a
--   status of 400 or more (unless `raise_exceptions = false`) and when
--   the server cannot be reached
-- @usage local r = client:make_request("GET", "/api/version")
function Client:make_request(method, path, opts)
  if type(method) == "table" then
    args.at_most(1, "make_request", method, path, opts)
    args.check_keys(method, MAKE_REQUEST_NAMED, "make_request")
    opts = args.copy(method, {method = true, path = true, url = true})
    method, path = method.method, method.path or method.url
  else
    args.at_most(3, "make_request", method, path, opts)
    opts = args.options(opts, MAKE_REQUEST_OPTIONS, "make_request")
  end
  errors.check(method, "string", "method")
  errors.check(path, "string", "path")
  _check_request_options(opts)
  if not method:match("^[%w!#$%%&'*+.^_`|~-]+$") then
    errors.usage(("make_request: '%s' is not an HTTP method (GET, POST,"
                  .. " PATCH, PUT, DELETE ...)"):format(method))
  end
  local o = _body_options(args.copy(opts, {raise_exceptions = true,
                                             data = true, files = true}),
                          opts.data, opts.files)
  o.raise = opts.raise_exceptions
  if o.raise == nil then o.raise = self._options.make_request_raise end
  local res, data = self:_request(method:upper(), path, o)
  local out = {}
  for k, v in pairs(res) do out[k] = v end
  out.json = data
  return out
end


--- The absolute URL of a path on the server.
-- @tparam string suffix such as `projects/1`
function Client:get_url(suffix)
  return self.url .. "/" .. tostring(suffix or ""):gsub("^/+", "")
end


--- Checks that the server is up and that the API key works.
-- @treturn table the server's `/health` answer (`status = "UP"`)
--   with `user`: the current user (`/api/current-user/whoami`)
-- @raise an `ApiError` whose `kind` tells an unreachable server
--   (`connect`, `dns`, `timeout` ...) from a rejected key (`status`
--   401)
function Client:check_connection()
  local res, health = self:_request("GET", "/health", {})
  if type(health) ~= "table" or type(health.status) ~= "string" then
    errors.raise{method = "GET", url = res.url or _full_url(self, "/health"),
                 status = res.status, detail = ("the answer is not Label"
                 .. " Studio's {\"status\": \"UP\"} but %s: is the url"
                 .. " right, with its path prefix?"):format(
                   _body_text(res.body or ""))}
  end
  local _, user = self:_request("GET", "/api/current-user/whoami")
  health.user = user
  return health
end


--- The server's version information (`/api/version`).
function Client:get_versions()
  local _, data = self:_request("GET", "/api/version")
  self.versions = data
  return data
end


-- --------------------------------------------------------- projects ---

--- Creates a project.
-- @tparam table params the project's fields: `title`, `label_config`,
--   `description`, `sampling`, `is_published`, ... (`Project.FIELDS`)
-- @treturn Project
-- @raise a misuse error, before anything is sent, for a key that is
--   not a project field
-- @usage local p = client:start_project{title = "Audio", label_config = xml}
function Client:start_project(params)
  errors.check(params, "table", "start_project's argument")
  args.check_keys(params, Project.FIELDS, "start_project", "project field")
  local _, data = self:_request("POST", "/api/projects/", {
    json = Project.sendable(params), idempotent = false,
  })
  log.debug("created project %s", tostring(data and data.id))
  return Project.new(self, data)
end

--- Same as `start_project`.
Client.create_project = Client.start_project


--- Gets one project.
-- @tparam integer id the project's id
-- @treturn Project
-- @raise an `ApiError` (404) for an unknown id
function Client:get_project(id)
  id = args.id(id, "project id")
  local _, data = self:_request("GET", ("/api/projects/%d/"):format(id))
  return Project.new(self, data)
end


--- One page of the project list: its projects, and whether it is
-- the last. A page past the end is empty.
local function _projects_page(self, q)
  local res, data = self:_request("GET", "/api/projects/", {
    query = q, ok = {[404] = q.page > 1},
  })
  if res.status == 404 or type(data) ~= "table" then return {}, true end
  local results, out = data.results or data, {}
  for i, p in ipairs(results) do out[i] = Project.new(self, p) end
  local last = #results == 0 or data.next == nil or data.next == json.null
  return out, last, data.count
end


--- Lists the projects: every page, or only the page `page` names.
-- @tparam[opt] table query the list's query parameters, as Python's
--   `**query`: `title` (part of the title, any case), `ids` (a comma
--   list), `filter` (`"all"`, `"pinned_only"`, `"exclude_pinned"`),
--   `ordering`, `include`, `page_size` (at most 100; the server caps
--   it) and `page`: with `page`, only that page (empty past the last),
--   as Python's single request gives
-- @treturn {Project,...}
-- @raise a misuse error for an unknown key, or a `page` or `page_size`
--   that is not an integer of at least 1
-- @usage local second = client:get_projects{page = 2, page_size = 10}
function Client:get_projects(query)
  query = args.options(query, PROJECT_QUERY, "get_projects")
  if query.page ~= nil then args.positive(query.page, "page") end
  if query.page_size ~= nil then args.positive(query.page_size, "page_size") end
  local q = args.copy(query)
  q.page_size = q.page_size or PROJECT_PAGE_MAX
  if query.page ~= nil then return (_projects_page(self, q)) end
  local out = {}
  q.page = 1
  while true do
    local got, last, count = _projects_page(self, q)
    table.move(got, 1, #got, #out + 1, out)
    if last or (count and #out >= count) then return out end
    q.page = q.page + 1
  end
end

--- Same as `get_projects`.
Client.list_projects = Client.get_projects


--- Deletes a project.
-- @tparam integer project_id
function Client:delete_project(project_id)
  project_id = args.id(project_id, "project_id")
  self:_request("DELETE", ("/api/projects/%d/"):format(project_id))
end


--- Closes the connections; the client cannot be used afterwards.
function Client:close()
  if self._session then self._session:close() end
end


-- For SDK modules that send batches (labelstudio.annotations): one
-- request table, one decoder and one error rule for every request.
M._request_table = _request_table
M._decode = _decode
M._status_error = _status_error
M._raise_status = _raise_status
M._raise_transport = _raise_transport

return M
