-- The SDK against careless or hostile input, without a server: each
-- wrong argument raises a clear error at the caller's line and never
-- shows the key.

local ls = require "labelstudio"
local dm = require "labelstudio.data_manager"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

local HERE = "sdk_break_spec.lua:%d+"
local KEY = "0123456789abcdef0123456789abcdef01234567"


--- The message of the error `fn` raises.
local function message(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return tostring(err)
end


describe("labelstudio SDK misuse", function()
  describe("Client's api_key", function()
    local cases = {
      {"a trailing line break", KEY .. "\n", "line break"},
      {"a carriage return", KEY .. "\r\n", "line break"},
      {"a tab inside", "0123\t" .. KEY, "control character"},
      {"nothing", "", "empty"},
      {"only spaces", "   ", "empty"},
    }
    for _, case in ipairs(cases) do
      it("refuses a key of " .. case[1] .. " at the caller's line",
         function()
        local msg = message(function()
          return ls.Client{url = "http://127.0.0.1:1", api_key = case[2]}
        end)
        assert.matches(HERE, msg)
        assert.matches(case[3], msg)
        assert.falsy(msg:find(KEY, 1, true))
      end)
    end
  end)

  it("says why a task file cannot be read, before any request", function()
    local client = ls.Client{url = "http://127.0.0.1:1", api_key = KEY,
                             retries = 0}
    local p = require("labelstudio.project").new(client, {id = 1})
    local msg = message(p.import_tasks, p, "/nonexistent/tasks.json")
    assert.matches(HERE, msg)
    assert.matches("/nonexistent/tasks.json: No such file or directory",
                   msg, 1, true)
  end)

  describe("Filters.item", function()
    local cases = {
      {"an unknown operator", Column.id, "bogus", Type.Number,
       "operator must be a value of Operator .*'bogus'"},
      {"an operator in capitals", Column.id, "EQUAL", Type.Number,
       "operator must be a value of Operator"},
      {"an unknown type", Column.id, Operator.EQUAL, "Integer",
       "column_type must be a value of Type .*'Integer'"},
      {"a type in lower case", Column.id, Operator.EQUAL, "number",
       "column_type must be a value of Type"},
    }
    for _, case in ipairs(cases) do
      it("refuses " .. case[1] .. " at the caller's line", function()
        local msg = message(function()
          return Filters.item(case[2], case[3], case[4], 1)
        end)
        assert.matches(HERE, msg)
        assert.matches(case[5], msg)
      end)
    end

    it("still takes every Operator with every Type", function()
      local function fitting(op, t)
        local one = t == Type.Datetime and Filters.datetime(0) or 1
        if op == Operator.EMPTY then return true end
        if op == Operator.IN or op == Operator.NOT_IN then
          return Filters.value(one, one)
        end
        if op == Operator.IN_LIST or op == Operator.NOT_IN_LIST then
          return {one}
        end
        return one
      end
      for _, op in pairs(Operator) do
        for _, t in pairs(Type) do
          assert.equal(op, Filters.item(Column.id, op, t,
                                        fitting(op, t)).operator)
        end
      end
    end)
  end)

  describe("LSRUN_LOG", function()
    local host = require "lsrun"
    local saved_level, saved_log

    before_each(function()
      saved_level, saved_log = host.log_level, package.loaded["labelstudio.log"]
      package.loaded["labelstudio.log"] = nil
    end)

    after_each(function()
      host.log_level = saved_level
      package.loaded["labelstudio.log"] = saved_log
    end)

    local function fresh_log(level)
      host.log_level = level
      local log = require "labelstudio.log"
      local lines = {}
      log.sink = function(line) lines[#lines + 1] = line end
      return log, lines
    end

    it("warns once about a level it does not know", function()
      local log, lines = fresh_log("bogus")
      log.warn("first")
      log.debug("hidden")
      log.warn("second")
      assert.equal(3, #lines)
      assert.matches("LSRUN_LOG=bogus is not a level", lines[1])
      assert.equal("lsrun: warn: first", lines[2])
      assert.equal("warn", log.level())
    end)

    it("stays quiet about a level it knows", function()
      local log, lines = fresh_log("DEBUG")
      log.debug("shown")
      assert.same({"lsrun: debug: shown"}, lines)
    end)
  end)
end)
