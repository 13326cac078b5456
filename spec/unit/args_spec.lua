-- labelstudio.args: reading arguments and options the Python way.

local args = require "labelstudio.args"

local HERE = "args_spec.lua:%d+"


--- The message of the error `fn` raises.
local function message(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  return tostring(err)
end


describe("labelstudio.args", function()
  describe("distance", function()
    local cases = {
      {"json", "json", 0}, {"jsn", "json", 1}, {"", "abc", 3},
      {"timout", "timeout", 1}, {"chunksize", "chunk_size", 1},
      {"titl", "title", 1}, {"titel", "title", 1},
      {"chunk_sise", "chunk_size", 1}, {"download_all",
        "download_all_tasks", 6}, {"page", "view_id", 7},
    }
    for _, case in ipairs(cases) do
      it(("counts %d edits from '%s' to '%s'"):format(case[3], case[1],
                                                       case[2]), function()
        assert.equal(case[3], args.distance(case[1], case[2]))
        assert.equal(case[3], args.distance(case[2], case[1]))
      end)
    end
  end)

  describe("nearest", function()
    local known = {"chunk_bytes", "chunk_size", "timeout", "validate"}

    it("offers the known name within two edits", function()
      assert.equal("chunk_size", args.nearest("chunksize", known))
      assert.equal("validate", args.nearest("validat", known))
      assert.equal("timeout", args.nearest("tiemout", known))
    end)

    it("offers nothing when every name is further away", function()
      assert.is_nil(args.nearest("progress", known))
      assert.is_nil(args.nearest(1, known))
    end)
  end)

  describe("options", function()
    local known = {"timeout", "interval"}

    it("gives an empty table for nil and the table itself otherwise",
       function()
      assert.same({}, args.options(nil, known, "f"))
      local opts = {timeout = 1}
      assert.equal(opts, args.options(opts, known, "f"))
    end)

    it("takes a set of names as well as a list", function()
      local opts = {a = 1}
      assert.equal(opts, args.options(opts, {a = true}, "f"))
    end)

    local cases = {
      {"a misspelt key", {timout = 1},
       "f: unknown option 'timout' %(did you mean 'timeout'%?%);"
       .. " valid: interval, timeout"},
      {"a key far from every name", {colour = 1},
       "f: unknown option 'colour'; valid: interval, timeout"},
      {"a positional entry", {1},
       "f: unknown option %[1%]; valid: interval, timeout"},
      {"a string", "timeout", "f: the options must be a table, not string"},
      {"a number", 5, "f: the options must be a table, not integer"},
    }
    for _, case in ipairs(cases) do
      it("refuses " .. case[1] .. " at the caller's line", function()
        local msg = message(args.options, case[2], known, "f")
        assert.matches(HERE, msg)
        assert.matches(case[3], msg)
      end)
    end

    it("names the first unknown key in sorted order", function()
      local msg = message(args.options, {zz = 1, aa = 2}, known, "f")
      assert.matches("unknown option 'aa'", msg)
    end)
  end)

  describe("named", function()
    it("names the function and the nearest argument", function()
      local names = {"task_id", "score", what = "create_prediction"}
      local msg = message(args.named, names, {task_id = 1, scor = 2})
      assert.matches(HERE, msg)
      assert.matches("create_prediction: unknown argument 'scor' %(did"
                     .. " you mean 'score'%?%)", msg)
    end)

    it("passes positional arguments through", function()
      assert.same({1, 2}, {args.named({"a", "b"}, 1, 2)})
    end)
  end)

  describe("at_most", function()
    it("refuses one argument too many", function()
      local msg = message(args.at_most, 2, "f", 1, 2, 3)
      assert.matches(HERE, msg)
      assert.matches("f takes at most 2 arguments, got 3", msg)
    end)

    it("does not count trailing nils", function()
      assert.has_no.errors(function() args.at_most(2, "f", 1, 2, nil) end)
    end)
  end)

  describe("named with a table first or flat options", function()
    local LIST = {"task_ids", "opts", what = "f", table_first = true,
                  flat = true}

    it("passes a list or filters through as the first argument",
       function()
      local list = {1, 2}
      assert.equal(list, (args.named(LIST, list)))
      local filters = {conjunction = "and", items = {}}
      assert.equal(filters, (args.named(LIST, filters)))
    end)

    it("reads a table by name, the other keys as the options", function()
      local ids, opts = args.named(LIST, {task_ids = {3}, view = 2,
                                          opts = {ordering = "x"}})
      assert.same({3}, ids)
      assert.same({view = 2, ordering = "x"}, opts)
      local _, none = args.named(LIST, {task_ids = {3}})
      assert.is_nil(none)
    end)
  end)

  describe("id and positive", function()
    local cases = {
      {args.id, 0, "project id must be a positive integer, not 0"},
      {args.id, -1, "project id must be a positive integer, not %-1"},
      {args.id, {id = -3}, "project id must be a positive integer"},
      {args.id, "7", "project id must be integer, not string"},
      {args.positive, 0, "project id must be at least 1, not 0"},
      {args.positive, 1.5, "project id must be integer, not number"},
    }
    for i, case in ipairs(cases) do
      it("refuses bad value " .. i .. " at the caller's line", function()
        local msg = message(case[1], case[2], "project id")
        assert.matches(HERE, msg)
        assert.matches(case[3], msg)
      end)
    end

    it("takes an id by its parameter's name", function()
      assert.equal(5, args.id({webhook_id = 5}, "webhook_id"))
    end)

    it("refuses another key beside the id by name", function()
      local msg = message(args.id, {webhook_id = 5, url = "x"},
                          "webhook_id")
      assert.matches(HERE, msg)
      assert.matches("unknown argument 'url'; valid: webhook_id", msg,
                     1, true)
    end)

    it("takes an id alone or in a table", function()
      assert.equal(3, args.id(3, "id"))
      assert.equal(4, args.id({id = 4}, "id"))
      assert.equal(1, args.positive(1, "page"))
    end)
  end)
end)
