-- Spec helper: starts break_stub.py, a loopback server that answers
-- shapes the real Label Studio will not produce (an HTML 500, a JSON
-- body cut short, a 204 where JSON is expected ...).
--   local stub = require("break_stub").start()
--   stub:url("html500"), stub:stop()

local pyserver = require "pyserver"

local M = {}
local Stub = {}
Stub.__index = Stub


--- Starts the stub; returns it once it listens.
function M.start()
  local proc = pyserver.start("break_stub.py")
  return setmetatable({proc = proc, base = proc.url}, Stub)
end


--- The URL under which every request gets the answer `shape`.
function Stub:url(shape)
  return self.base .. "/" .. shape
end


function Stub:stop()
  self.proc:stop()
end

return M
