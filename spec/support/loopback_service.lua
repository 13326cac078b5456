-- Spec helper: starts loopback_service.py, a small HTTP service on
-- 127.0.0.1 that records what it receives (webhooks) and plays an
-- ML backend.
--   local svc = require("loopback_service").start()
--   svc.url, svc:log(), svc:clear(), svc:wait(pred), svc:stop()

local http = require "lsrun.http"
local json = require "labelstudio.json"
local pyserver = require "pyserver"

local M = {}
local Service = {}
Service.__index = Service

--- Starts the service; returns it once it listens.
function M.start()
  local proc = pyserver.start("loopback_service.py")
  return setmetatable({proc = proc, url = proc.url,
                       control = http.session{base_url = proc.url,
                                              retries = 0}}, Service)
end


function Service:_get(path)
  local res, err = self.control:request{url = path}
  assert(res, err)
  return json.decode(res.body)
end


--- The requests received so far: `{method, path, body}` each.
function Service:log()
  return self:_get("/_log")
end


--- Forgets the requests received so far.
function Service:clear()
  self:_get("/_clear")
end


--- Sets what /predict answers: `{from =, to =, choice =}`.
function Service:model(m)
  local q = {}
  for k, v in pairs(m) do q[#q + 1] = k .. "=" .. v end
  self:_get("/_model?" .. table.concat(q, "&"))
end


--- The received requests for which `pred(request)` is true, waiting
-- up to `seconds` (default 5) for at least one.
function Service:wait(pred, seconds)
  local sys = require "lsrun.sys"
  local deadline = sys.now() + (seconds or 5)
  repeat
    local out = {}
    for _, r in ipairs(self:log()) do
      if pred(r) then out[#out + 1] = r end
    end
    if #out > 0 then return out end
    sys.sleep(0.1)
  until sys.now() > deadline
  return {}
end


function Service:stop()
  self.control:close()
  self.proc:stop()
end

return M
