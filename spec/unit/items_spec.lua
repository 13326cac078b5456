-- labelstudio.items: lists with holes, and the nearest known name for
-- a misspelt field.

local items = require "labelstudio.items"

local HERE = "items_spec.lua:%d+"


describe("labelstudio.items", function()
  describe("hole", function()
    local cases = {
      {"an empty table", {}, nil},
      {"a list", {1, 2, 3}, nil},
      {"a list with a nil inside", {1, nil, 3}, 2},
      {"a list starting with nil", {nil, 2}, 1},
      {"a list with a far key", {1, 2, [10] = 10}, 3},
      {"a table of fields", {a = 1, b = 2}, nil},
      {"a list with a field too", {1, 2, n = 2}, nil},
    }
    for _, c in ipairs(cases) do
      it(("finds %s in %s"):format(c[3] and "the hole" or "no hole",
                                   c[1]), function()
        assert.equal(c[3], items.hole(c[2]))
      end)
    end
  end)

  it("raises at the caller naming the list and the hole", function()
    local ok, err = pcall(items.list, {{}, nil, {}}, "tasks")
    assert.is_false(ok)
    assert.matches(HERE, err)
    assert.matches("tasks: list has a hole at 2", err, 1, true)
  end)

  describe("nearest", function()
    local names = {"result", "was_cancelled", "ground_truth",
                   "lead_time", "model_version", "score", "task"}
    local cases = {
      {"reslt", "result"}, {"resutl", "result"}, {"scroe", "score"},
      {"tsk", "task"}, {"model_verison", "model_version"},
      {"Result", "result"}, {"zzz", nil}, {"x", nil},
    }
    for _, c in ipairs(cases) do
      it(("gives %s for %q"):format(tostring(c[2]), c[1]), function()
        assert.equal(c[2], items.nearest(c[1], names))
      end)
    end
  end)

  it("names an unknown field, the nearest one and all of them",
     function()
    local ok, err = pcall(items.fields, {reslt = "Cat"},
                          {result = true, lead_time = true}, "annotation")
    assert.is_false(ok)
    assert.matches(HERE, err)
    assert.matches("annotation: unknown field 'reslt' (did you mean"
                   .. " 'result'?); valid: lead_time, result", err, 1, true)
    assert.same({result = 1},
                items.fields({result = 1}, {result = true}, "x"))
  end)
end)
