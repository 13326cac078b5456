--- The API key of a user from an e-mail and password, as the Python
-- SDK's `Client.get_api_key(credentials)` and `ClientCredentials`.
--
-- It logs in the way a browser does: `GET /user/login/` for the
-- `csrftoken` cookie, `POST /user/login/` with the form (`email`,
-- `password`, `csrfmiddlewaretoken`) and a `Referer`, then reads
-- `GET /api/current-user/token` with the session cookie. The password
-- is registered with `labelstudio.errors` first, so no message or log
-- line shows it; the session cookie and the key are registered too.
--
-- Caveats: `lsrun.http` keeps no cookies, so they are kept here from
-- each answer's `Set-Cookie` headers (one per line). The login's
-- answer is a redirect that carries the session cookie, so it is read
-- with `follow = false`.
--
-- @module labelstudio.login

local errors = require "labelstudio.errors"
local log = require "labelstudio.log"
local Client = require("labelstudio.client").Client

local M = {}

--- The cookies set by a response: name -> value. `lsrun.http` gives
-- repeated `Set-Cookie` headers one per line.
function M.parse_set_cookie(text)
  local out = {}
  if type(text) ~= "string" then return out end
  for line in text:gmatch("[^\n]+") do
    local name, value = line:match("^%s*([%w!#$%%&'*+%-.^_`|~]+)=([^;]*)")
    if name then out[name] = value end
  end
  return out
end


local function _cookie_header(jar)
  local parts = {}
  for k, v in pairs(jar) do parts[#parts + 1] = k .. "=" .. v end
  table.sort(parts)
  return table.concat(parts, "; ")
end


local function _collect(jar, res)
  local h = res.headers and res.headers["set-cookie"]
  for k, v in pairs(M.parse_set_cookie(h)) do jar[k] = v end
end


--- Reads `{email=, password=}` (or `{api_key=}`), checking types.
local function _credentials(c)
  errors.check(c, "table", "credentials")
  if c.api_key ~= nil then
    return nil, errors.check(c.api_key, "string", "credentials.api_key")
  end
  errors.check(c.email, "string", "credentials.email")
  errors.check(c.password, "string", "credentials.password")
  if c.password ~= "" then errors.add_secret(c.password) end
  return c
end


local function _send(session, req, what)
  local res, msg = session:request(req)
  if res == nil then
    errors.raise{method = req.method, url = req.url, kind = "transport error",
                 detail = what .. ": " .. tostring(msg)}
  end
  return res
end


local function _fail(res, method, path, why)
  errors.raise{method = method, url = path, status = res.status,
               detail = "login failed: " .. why}
end


--- Logs in and returns the session cookies.
local function _login(session, base, c)
  local jar = {}
  local res = _send(session, {method = "GET", url = "/user/login/"},
                    "login page")
  _collect(jar, res)
  if jar.csrftoken == nil then
    _fail(res, "GET", "/user/login/", "the login page set no csrftoken")
  end
  errors.add_secret(jar.csrftoken)
  res = _send(session, {
    method = "POST", url = "/user/login/", idempotent = false,
    follow = false,
    headers = {Referer = base .. "/user/login/",
               Cookie = _cookie_header(jar),
               ["Content-Type"] = "application/x-www-form-urlencoded"},
    body = ("email=%s&password=%s&csrfmiddlewaretoken=%s"):format(
      M.urlencode(c.email), M.urlencode(c.password),
      M.urlencode(jar.csrftoken)),
  }, "login")
  _collect(jar, res)
  if res.status < 300 or res.status >= 400 or jar.sessionid == nil then
    _fail(res, "POST", "/user/login/", "wrong e-mail or password for "
          .. c.email)
  end
  errors.add_secret(jar.sessionid)
  return jar
end


--- Percent-encodes form text.
function M.urlencode(s)
  return (s:gsub("[^%w%-._~]", function(ch)
    return ("%%%02X"):format(ch:byte())
  end))
end


--- The API key of the user with these credentials.
-- @tparam table session an `lsrun.http` session on the server
-- @tparam string base the server's URL
-- @tparam table credentials `{email=, password=}`, or `{api_key=}`
--   (returned as is)
-- @treturn string the user's legacy API token
function M.api_key(session, base, credentials)
  local c, key = _credentials(credentials)
  if key then return key end
  local jar = _login(session, base, c)
  local res = _send(session, {method = "GET",
    url = "/api/current-user/token",
    headers = {Cookie = _cookie_header(jar)}}, "token")
  local ok, data = pcall(require("labelstudio.json").decode, res.body or "")
  if res.status ~= 200 or not ok or type(data) ~= "table"
     or type(data.token) ~= "string" then
    _fail(res, "GET", "/api/current-user/token", "no token in the answer")
  end
  errors.add_secret(data.token)
  log.debug("logged in as %s and read the API key", c.email)
  return data.token
end


--- The API key of a user, by logging in with e-mail and password
-- (Python's `Client.get_api_key`).
-- @tparam table credentials `{email=, password=}`
-- @treturn string the user's legacy API token
-- @raise an `ApiError` (never showing the password) when the login
--   fails
-- @usage local key = client:get_api_key{email = "a@b.c", password = pw}
function Client:get_api_key(credentials)
  return M.api_key(self._session, self._raw_url, credentials)
end

return M
