-- labelstudio.data_manager without a server: what filters look like.

local dm = require "labelstudio.data_manager"
local json = require "labelstudio.json"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

describe("labelstudio.data_manager", function()
  it("names columns as the server does", function()
    assert.equal("tasks:id", Column.id)
    assert.equal("tasks:completed_at", Column.completed_at)
    assert.equal("tasks:data.text", Column.data("text"))
  end)

  it("renders an item with the filter: prefix, once", function()
    local item = Filters.item(Column.id, Operator.GREATER, Type.Number,
                              Filters.value(42))
    assert.same({filter = "filter:tasks:id", operator = "greater",
                 type = "Number", value = 42}, item)
    local again = Filters.item("filter:tasks:id", "equal", "Number", 1)
    assert.equal("filter:tasks:id", again.filter)
  end)

  local datetimes = {
    {{year = 2021, month = 11, day = 1}, "2021-11-01T00:00:00.000000Z"},
    {{year = 2000, month = 2, day = 29, hour = 23, min = 59, sec = 58.25},
     "2000-02-29T23:59:58.250000Z"},
    {0, "1970-01-01T00:00:00.000000Z"},
    {1636934400.5, "2021-11-15T00:00:00.500000Z"},
  }
  for _, case in ipairs(datetimes) do
    it("renders the datetime " .. case[2], function()
      assert.equal(case[2], Filters.datetime(case[1]))
    end)
  end

  it("renders now in the server's format", function()
    assert.matches("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%d%d%d%dZ$",
                   Filters.datetime())
  end)

  it("gives a range for two values and formats dates", function()
    assert.same({min = 1, max = 5}, Filters.value(1, 5))
    assert.same({min = "2021-11-01T00:00:00.000000Z",
                 max = "2021-11-05T00:00:00.000000Z"},
                Filters.value({year = 2021, month = 11, day = 1},
                              {year = 2021, month = 11, day = 5}))
  end)

  it("builds the tutorial's OR filter", function()
    local f = Filters.create(Filters.OR, {
      Filters.item(Column.id, Operator.GREATER, Type.Number,
                   Filters.value(42)),
    })
    assert.equal('{"conjunction":"or","items":[{"filter":"filter:tasks:id",'
                 .. '"operator":"greater","type":"Number","value":42}]}',
                 json.encode(f, {sort_keys = true}))
  end)

  for _, case in ipairs{
    {"Operator", "GRATER"}, {"Type", "Integer"}, {"Column", "idd"},
    {"Filters", "ANd"},
  } do
    it("names a misspelt " .. case[1] .. " name where it is read", function()
      local ok, e = pcall(function() return dm[case[1]][case[2]] end)
      assert.is_false(ok)
      assert.matches("data_manager_spec%.lua:%d+: " .. case[1]
                     .. " has no '" .. case[2] .. "' %(it has ", e)
    end)
  end

  it("refuses a wrong conjunction at the caller", function()
    local ok, err = pcall(Filters.create, "xor", {})
    assert.is_false(ok)
    assert.matches("Filters.AND or Filters.OR", err)
  end)
end)
