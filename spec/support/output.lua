-- busted output handler: one line per failure or error with where and
-- why, then "<stage>: N passed, N failed". With LSRUN_TEST_COUNTS set,
-- the counts are also written there for scripts/test to add up.

return function(options)
  local busted = require("busted")
  local handler = require("busted.outputHandlers.base")()
  local stage = os.getenv("LSRUN_TEST_STAGE") or "specs"
  local problems = {}

  local function where(element)
    local t = element and element.trace
    if not t or not t.short_src then return "" end
    return t.short_src .. ":" .. tostring(t.currentline) .. ": "
  end

  local function describe_problem(kind, p)
    local msg = p.message
    if type(msg) ~= "string" then msg = require("pl.pretty").write(msg) end
    local text = string.format("%s %s%s\n  %s", kind, where(p.element),
                               p.name or "?", msg or "nil error")
    if options.verbose and p.trace and p.trace.traceback then
      text = text .. "\n" .. p.trace.traceback
    end
    return text
  end

  function handler.testEnd(element, parent, status)
    if status == "success" then
      io.stdout:write("+")
    elseif status == "pending" then
      io.stdout:write(".")
    else
      io.stdout:write(status == "error" and "E" or "F")
    end
    io.stdout:flush()
    return nil, true
  end

  function handler.suiteEnd()
    io.stdout:write("\n")
    for _, f in ipairs(handler.failures) do
      problems[#problems + 1] = describe_problem("FAIL", f)
    end
    for _, e in ipairs(handler.errors) do
      problems[#problems + 1] = describe_problem("ERROR", e)
    end
    for _, text in ipairs(problems) do print(text) end
    local passed = handler.successesCount
    local failed = handler.failuresCount + handler.errorsCount
    print(string.format("[%s] %d ok, %d not ok, %d pending (%.1f s)",
                        stage, passed, failed, handler.pendingsCount,
                        handler.getDuration()))
    local path = os.getenv("LSRUN_TEST_COUNTS")
    if path then
      local f = assert(io.open(path, "w"))
      f:write(passed, " ", failed, "\n")
      f:close()
    end
    return nil, true
  end

  busted.subscribe({"test", "end"}, handler.testEnd,
                   {predicate = handler.cancelOnPending})
  busted.subscribe({"suite", "end"}, handler.suiteEnd)
  return handler
end
