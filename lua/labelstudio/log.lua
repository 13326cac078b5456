--- The SDK's one logger: diagnostics to standard error, never stdout.
--
-- Every line starts with `lsrun:`. The level comes from the host:
-- `--quiet` keeps only errors, `--verbose` shows everything, and
-- `LSRUN_LOG=error|warn|info|debug` sets it by name (it wins over the
-- flags; an unknown name is reported once and ignored). The default is
-- `warn`. Callers pass messages that hold no
-- secret; the logger does not look inside them.
--
-- @module labelstudio.log

local M = {}

local LEVELS = {error = 1, warn = 2, info = 3, debug = 4}
local DEFAULT_LEVEL = "warn"

local current


--- The level the host asks for.
local function _host_level()
  local ok, host = pcall(require, "lsrun")
  if not ok or type(host) ~= "table" then return DEFAULT_LEVEL end
  local named = host.log_level and tostring(host.log_level):lower()
  if named and LEVELS[named] then return named end
  if named and named ~= "" then
    M.sink(("lsrun: warn: LSRUN_LOG=%s is not a level (error, warn,"
            .. " info or debug); ignoring it"):format(named))
  end
  if host.quiet then return "error" end
  if host.verbose then return "debug" end
  return DEFAULT_LEVEL
end


--- Sets the level by name.
-- @tparam string level `error`, `warn`, `info` or `debug`
function M.set_level(level)
  if LEVELS[level] == nil then
    error("log level must be error, warn, info or debug", 2)
  end
  current = level
end


--- The current level's name.
function M.level()
  current = current or _host_level()
  return current
end


--- True when messages at `level` are written.
function M.enabled(level)
  return LEVELS[level] <= LEVELS[M.level()]
end


--- The function that writes a line; tests may replace it.
function M.sink(line)
  io.stderr:write(line, "\n")
end


local function _log(level, fmt, ...)
  if not M.enabled(level) then return end
  local text = select("#", ...) > 0 and fmt:format(...) or fmt
  M.sink(("lsrun: %s%s"):format(level == "info" and "" or level .. ": ",
                               text))
end


--- Logs at level error; `fmt` and its arguments as for string.format.
function M.error(fmt, ...) _log("error", fmt, ...) end
--- Logs at level warn.
function M.warn(fmt, ...) _log("warn", fmt, ...) end
--- Logs at level info.
function M.info(fmt, ...) _log("info", fmt, ...) end
--- Logs at level debug.
function M.debug(fmt, ...) _log("debug", fmt, ...) end

return M
