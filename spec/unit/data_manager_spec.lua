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

  for _, case in ipairs{
    {{year = 2021, month = 13, day = 1}, "month must be within 1..12"},
    {{year = 2021, month = 2, day = 29}, "day must be within 1..28"},
    {{year = 2021, month = 4, day = 31}, "day must be within 1..30"},
    {{year = 2021, month = 1, day = 1, hour = 24}, "hour must be within"},
    {{year = 2021, month = 1, day = 1, minute = 60}, "min must be within"},
    {{year = 2021, month = 1}, "needs the field day"},
    {{year = 2021, month = 1, day = 1.5}, "field day must be integer"},
    {{year = 2021, month = 1, day = 1, minut = 3}, "unknown field 'minut'"},
    {{year = 2021, month = 1, day = 1, min = 3, minute = 3},
     "give min or minute, not both"},
  } do
    it("refuses the date " .. json.encode(case[1]) .. " at the caller",
       function()
      local ok, err = pcall(Filters.datetime, case[1])
      assert.is_false(ok)
      assert.matches("data_manager_spec%.lua:%d+: datetime", err)
      assert.truthy(err:find(case[2], 1, true), err)
    end)
  end

  it("takes Python's minute, second and microsecond, and os.date's "
     .. "tables", function()
    assert.equal("2021-11-01T13:30:05.250000Z", Filters.datetime{
      year = 2021, month = 11, day = 1, hour = 13, minute = 30,
      second = 5, microsecond = 250000})
    assert.equal("2023-11-14T22:13:20.000000Z",
                 Filters.datetime(os.date("!*t", 1700000000)))
    assert.equal("2020-02-29T00:00:00.000000Z",
                 Filters.datetime{year = 2020, month = 2, day = 29})
  end)

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

  -- values the server answers 500 for (checked on Label Studio 1.23.2)
  local DAY = "2021-11-01T00:00:00.000000Z"
  for _, case in ipairs{
    {"greater", "Number", "abc", "must be a finite decimal number, not 'abc'"},
    {"equal", "Number", nil, "must be a finite decimal number, not nil"},
    {"equal", "Number", "0x10", "decimal number, not '0x10'"},
    {"equal", "Number", "nan", "decimal number, not 'nan'"},
    {"greater", "Number", 0 / 0, "finite decimal number, not"},
    {"less", "Number", math.huge, "finite decimal number, not inf"},
    {"in", "Number", 5, "must be a range from Filters.value"},
    {"in", "Number", {min = 1, max = "x"},
     "max must be a finite decimal number, not 'x'"},
    {"greater", "Datetime", "yesterday",
     "must be a date from Filters.datetime, not 'yesterday'"},
    {"less", "Datetime", 5, "must be a date from Filters.datetime"},
    {"not_in", "Datetime", {min = DAY, max = "x"}, "max must be a date"},
    {"empty", "String", "x", "must be true or false, not 'x'"},
    {"in_list", "Number", 3, "must be a list, not 3"},
    {"in_list", "Number", {1, "b"},
     "item 2 must be a finite decimal number, not 'b'"},
  } do
    local op, t, v, msg = case[1], case[2], case[3], case[4]
    it(("refuses %s %s %s at the caller"):format(t, op, tostring(v)),
       function()
      local ok, err = pcall(Filters.item, Column.id, op, t, v)
      assert.is_false(ok)
      assert.matches("data_manager_spec%.lua:%d+: filter value for "
                     .. t .. " " .. op .. ": ", err)
      assert.truthy(err:find(msg, 1, true), err)
    end)
  end

  for _, case in ipairs{
    {"greater", "Number", 42}, {"greater", "Number", 4.5},
    {"equal", "Number", "7"}, {"equal", "Number", " -1.5e3 "},
    {"equal", "Number", ".5"}, {"in", "Number", {min = 1, max = 5}},
    {"regex", "Number", "4.*"}, {"contains", "String", 5},
    {"greater", "Datetime", DAY},
    {"in", "Datetime", {min = DAY, max = DAY}},
    {"empty", "Number", false}, {"empty", "Datetime", "yes"},
    {"in_list", "String", {"a", "b"}}, {"equal", "Boolean", true},
    {"equal", "Unknown", {1}},
  } do
    it(("keeps %s %s %s as given"):format(case[2], case[1],
                                          json.encode(case[3])), function()
      local item = Filters.item(Column.id, case[1], case[2], case[3])
      assert.same(case[3], item.value)
    end)
  end

  it("refuses a wrong conjunction at the caller", function()
    local ok, err = pcall(Filters.create, "xor", {})
    assert.is_false(ok)
    assert.matches("Filters.AND or Filters.OR", err)
  end)
end)
