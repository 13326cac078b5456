--- The SDK's errors (DESIGN.md decision 2).
--
-- A failed call raises an `ApiError`: a table with `__tostring` that
-- carries the HTTP method, the URL without secrets, the status, the
-- server's `detail` and `validation_errors`, the request id, and the
-- `file:line` of the first caller outside the SDK. A transport
-- failure (nothing came back) raises one too, with `status` nil and
-- `kind` naming what failed. Misuse raises a plain message positioned
-- at the caller outside the SDK.
--
-- No message ever holds a secret: URLs are redacted, and every string
-- registered with `add_secret` is masked wherever it appears.
--
-- @module labelstudio.errors

local M = {}

local ApiError = {}
ApiError.__index = ApiError
ApiError.__name = "labelstudio.ApiError"
M.ApiError = ApiError

local REASONS = {
  [400] = "Bad Request", [401] = "Unauthorized", [403] = "Forbidden",
  [404] = "Not Found", [405] = "Method Not Allowed", [409] = "Conflict",
  [413] = "Payload Too Large", [429] = "Too Many Requests",
  [500] = "Internal Server Error", [502] = "Bad Gateway",
  [503] = "Service Unavailable", [504] = "Gateway Timeout",
}


local secrets = setmetatable({}, {__mode = "k"})

-- The folder this file was loaded from: frames whose source starts
-- with it belong to the SDK.
local SDK_PREFIX = debug.getinfo(1, "S").source:match("^(.*/)[^/]*$")


--- Registers a string that must never appear in a message.
-- @tparam string s
function M.add_secret(s)
  if type(s) == "string" and #s >= 6 then secrets[s] = true end
end


local function _plain(s)
  return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end


--- Masks every registered secret in `text`.
function M.mask(text)
  if type(text) ~= "string" then return text end
  for s in pairs(secrets) do
    if text:find(s, 1, true) then
      text = text:gsub(_plain(s), "***")
    end
  end
  return text
end


-- The host masks an uncaught error's text with this hook, so that a
-- secret in a script's own message is not printed either.
do
  local ok, host = pcall(require, "lsrun")
  if ok and type(host) == "table" then host.redact = M.mask end
end


--- A URL without user:password and without secret query values.
function M.redact_url(url)
  if type(url) ~= "string" then return url end
  return M.mask(require("lsrun.http").redact_url(url))
end


local function _is_sdk(source)
  if source == nil or source:sub(1, 1) ~= "@" then
    return source == "=[C]"
  end
  return SDK_PREFIX ~= nil and source:sub(1, #SDK_PREFIX) == SDK_PREFIX
end


--- The stack level (as seen by the caller of this function) of the
-- first frame outside the SDK, and its `file:line`.
-- @treturn integer level
-- @treturn string|nil where
function M.outside_level()
  local level = 2
  while true do
    local info = debug.getinfo(level, "Sl")
    if info == nil then return level - 1, nil end
    if not _is_sdk(info.source) and info.what ~= "C" then
      local where = info.short_src .. ":" .. (info.currentline or 0)
      return level - 1, where
    end
    level = level + 1
  end
end


--- Raises a misuse error at the first caller outside the SDK.
-- @tparam string msg what is wrong with the call
-- @raise always
function M.usage(msg)
  local level = M.outside_level()
  error(M.mask(msg), level)
end


--- Checks an argument's type, raising a misuse error if it is wrong.
-- @param value the argument
-- @tparam string want a type name, or several joined with `|`
-- @tparam string what how to name it in the message
function M.check(value, want, what)
  local t = math.type(value) == "integer" and "integer" or type(value)
  for name in want:gmatch("[^|]+") do
    if name == t or (name == "number" and t == "integer") then
      return value
    end
  end
  M.usage(("%s must be %s, not %s"):format(what,
    want:gsub("|", " or "), t))
end


local function _line(out, fmt, ...)
  out[#out + 1] = fmt:format(...)
end


local function _validation_lines(out, v)
  if type(v) ~= "table" then
    if v ~= nil then _line(out, "  %s", tostring(v)) end
    return
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local msgs = v[k] or v[tonumber(k)]
    if type(msgs) == "table" then
      for _, m in ipairs(msgs) do
        local text = type(m) == "table" and "(details)" or tostring(m)
        _line(out, "  %s: %s", k, text)
      end
    else
      local json = package.loaded["labelstudio.json"]
      _line(out, "  %s: %s", k, json and msgs == json.null and "null"
                                   or tostring(msgs))
    end
  end
end


--- The URL as the message shows it: a query value longer than 80
-- characters (a Data Manager query, say) cut to its start and length;
-- the error's `url` field keeps all of it.
local function _short_url(url)
  local path, query = url:match("^([^?]*%?)(.*)$")
  if not path then return url end
  return path .. query:gsub("=([^&]+)", function(v)
    if #v > 80 then
      local start = v:sub(1, 40):gsub("%%%x?$", "")  -- whole escapes
      return ("=%s...(%d characters)"):format(start, #v)
    end
  end)
end


--- The headline of an error without an answer, by its kind.
local TRANSPORT = {
  connect = "Label Studio unreachable", dns = "Label Studio unreachable",
  tls = "Label Studio unreachable",
  timeout = "Label Studio did not answer in time",
  send = "Label Studio connection broken",
  recv = "Label Studio connection broken",
  interrupted = "Label Studio request interrupted",
}


--- The error as one readable block of text.
function ApiError:__tostring()
  local out = {}
  local head = ("%s %s"):format(self.method or "?",
                                self.url and _short_url(self.url) or "?")
  if self.status then
    local reason = REASONS[self.status]
    _line(out, "Label Studio error: %s -> HTTP %d%s", head, self.status,
          reason and (" " .. reason) or "")
  else
    _line(out, "%s: %s -> %s", TRANSPORT[self.kind]
          or "Label Studio request failed", head,
          self.kind or "transport error")
  end
  if self.detail and self.detail ~= "" then
    _line(out, "  %s", self.detail)
  end
  _validation_lines(out, self.validation_errors)
  if self.status == 401 then
    _line(out, "  the API key was rejected (a wrong or revoked key, or a"
               .. " legacy token where legacy tokens are disabled)")
  end
  if self.status == nil and self.may_have_landed then
    _line(out, "  the request may have reached the server")
  end
  if self.request_id then _line(out, "  request id: %s", self.request_id) end
  if self.where then _line(out, "  called from %s", self.where) end
  return M.mask(table.concat(out, "\n"))
end


--- True if `e` is an `ApiError`.
function M.is(e)
  return getmetatable(e) == ApiError
end


--- Builds an `ApiError` from its fields (`method`, `url`, `status`,
-- `detail`, `validation_errors`, `request_id`, `kind`, `body`,
-- `may_have_landed`); the URL is redacted and `where` filled in.
function M.new(fields)
  local e = {}
  for k, v in pairs(fields) do e[k] = v end
  e.url = M.redact_url(e.url)
  e.detail = M.mask(e.detail)
  if e.where == nil then
    local _, where = M.outside_level()
    e.where = where
  end
  return setmetatable(e, ApiError)
end


--- Raises an `ApiError` built from `fields`.
-- @raise always
function M.raise(fields)
  error(M.new(fields), 0)
end

return M
