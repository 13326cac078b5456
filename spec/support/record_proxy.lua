-- Spec helper: the recording proxy (record_proxy.py) in front of a
-- server, and what it saw.
--   local proxy = require("record_proxy").start(upstream_url)
--   proxy.url, proxy:requests("/api/tasks/"), proxy:reset(), proxy:stop()
-- Each request is {method, path, query (decoded, by name), status,
-- body (the decoded JSON answer, when it was JSON)}.

local http = require "lsrun.http"
local json = require "labelstudio.json"
local pyserver = require "pyserver"

local M = {}
local Proxy = {}
Proxy.__index = Proxy


local function unescape(s)
  s = s:gsub("+", " ")
  return (s:gsub("%%(%x%x)", function(h)
    return string.char(tonumber(h, 16))
  end))
end


--- The query string of a request target, decoded into a table.
function M.parse_query(text)
  local q = {}
  for pair in (text or ""):gmatch("[^&]+") do
    local k, v = pair:match("^([^=]*)=?(.*)$")
    q[unescape(k)] = unescape(v)
  end
  return q
end


--- Starts a proxy that forwards to `upstream` (a base URL).
function M.start(upstream)
  local proc = pyserver.start("record_proxy.py", upstream)
  return setmetatable({proc = proc, url = proc.url,
    control = http.session{base_url = proc.url, retries = 0}}, Proxy)
end


function Proxy:_get(path)
  local res, err = self.control:request{url = path}
  assert(res, err)
  return json.decode(res.body)
end


--- The requests that reached the proxy, in arrival order; with
-- `prefix`, only those whose path starts with it.
function Proxy:requests(prefix)
  local out = {}
  for _, r in ipairs(self:_get("/_proxy/log")) do
    local path, query = r.target:match("^([^?]*)%??(.*)$")
    if prefix == nil or path:sub(1, #prefix) == prefix then
      out[#out + 1] = {method = r.method, path = path, status = r.status,
                       query = M.parse_query(query), body = r.body}
    end
  end
  return out
end


--- Forgets the requests seen so far.
function Proxy:reset()
  self:_get("/_proxy/reset")
end


function Proxy:stop()
  self.control:close()
  self.proc:stop()
end

return M
