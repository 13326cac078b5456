--- Progress of long bulk calls: a bar on standard error, a callback.
--
-- The bulk calls (`import_tasks`, `create_predictions`, `get_tasks`,
-- `get_tasks_ids`) take a `progress` option:
--
-- * `progress = function(p) ... end` is called after every step with
--   `p.what` (`"import"`, ...), `p.done`, `p.total` (nil when not
--   known), `p.unit` (`"tasks"`), `p.rate` (per second), `p.eta`
--   (seconds, nil when not known), `p.elapsed` and `p.finished`;
-- * `progress = false` shows nothing;
-- * otherwise a bar with rate and ETA is drawn on standard error, but
--   only when standard error is a terminal and `lsrun -q` was not
--   given.
--
-- Caveats: the bar is redrawn at most ten times a second, on one line
-- with a carriage return; it assumes a terminal at least 60 columns
-- wide.
--
-- @module labelstudio.progress

local M = {}

local Progress = {}
Progress.__index = Progress

local WIDTH = 24
local REDRAW = 0.1


local function _now()
  return require("lsrun.sys").now()
end


--- Whether a bar may be drawn: stderr is a terminal and not `-q`.
function M.bar_allowed()
  local ok_host, host = pcall(require, "lsrun")
  if ok_host and type(host) == "table" and host.quiet then return false end
  local ok, sys = pcall(require, "lsrun.sys")
  return ok and sys.isatty("stderr") or false
end


--- Starts reporting one bulk call.
-- @tparam table o `what` (a short name), `total` (or nil), `unit`
--   (default `"tasks"`), `progress` (the caller's option: a function,
--   false, or nil for the default bar)
-- @treturn Progress with `add(n)` and `finish()`
function M.new(o)
  local self = setmetatable({
    what = o.what, total = o.total, unit = o.unit or "tasks", done = 0,
    t0 = _now(), last = -math.huge,
  }, Progress)
  if type(o.progress) == "function" then
    self.callback = o.progress
  elseif o.progress ~= false and M.bar_allowed() then
    self.bar = true
  end
  return self
end


--- The numbers passed to a callback.
function Progress:state(finished)
  local elapsed = _now() - self.t0
  local rate = elapsed > 0 and self.done / elapsed or nil
  local eta
  if self.total and rate and rate > 0 then
    eta = math.max(0, (self.total - self.done) / rate)
  end
  return {what = self.what, done = self.done, total = self.total,
          unit = self.unit, rate = rate, eta = eta, elapsed = elapsed,
          finished = finished or false}
end


local function _clock(s)
  if s == nil then return "--:--" end
  s = math.floor(s + 0.5)
  if s >= 3600 then
    return ("%d:%02d:%02d"):format(s // 3600, s % 3600 // 60, s % 60)
  end
  return ("%02d:%02d"):format(s // 60, s % 60)
end


--- One line of the bar, without the carriage return.
function M.line(p)
  local frac = p.total and p.total > 0 and math.min(1, p.done / p.total)
  local bar = frac and ("[" .. ("#"):rep(math.floor(frac * WIDTH + 0.5))
                        .. (" "):rep(WIDTH - math.floor(frac * WIDTH + 0.5))
                        .. "]") or ""
  local count = p.total and ("%d/%d"):format(p.done, p.total)
                or tostring(p.done)
  local rate = p.rate and ("%.0f %s/s"):format(p.rate, p.unit) or ""
  local tail = p.finished and ("in " .. _clock(p.elapsed))
               or ("ETA " .. _clock(p.eta))
  return ("lsrun: %s %s %s %s %s"):format(p.what, bar, count, rate, tail)
end


function Progress:_draw(finished)
  local now = _now()
  if not finished and now - self.last < REDRAW then return end
  self.last = now
  io.stderr:write("\r", M.line(self:state(finished)), "\027[K",
                  finished and "\n" or "")
end


--- Counts `n` more units done and reports.
function Progress:add(n)
  self.done = self.done + n
  if self.callback then self.callback(self:state(false)) end
  if self.bar then self:_draw(false) end
end


--- Reports the end of the call (also after a failure).
function Progress:finish()
  if self.finished then return end
  self.finished = true
  if self.callback then self.callback(self:state(true)) end
  if self.bar then self:_draw(true) end
end

return M
