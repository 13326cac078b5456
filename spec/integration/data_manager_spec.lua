-- The tutorial's two filters, selecting tasks on the real server
-- across several pages.

local dm = require "labelstudio.data_manager"
local srv = require "ls_server"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

describe("labelstudio.data_manager filters #integration", function()
  local client, project, ids

  setup(function()
    client = srv.client()
    project = srv.project(client, "filters", srv.TEXT_CONFIG)
    local tasks = {}
    for i = 1, 60 do
      local word = i % 3 == 0 and "a possum here" or "a wombat here"
      if i % 10 == 0 then word = "100% POSSUM" end
      tasks[i] = {text = ("%d: %s"):format(i, word)}
    end
    ids = project:import_tasks(tasks)
  end)
  teardown(srv.project_cleanup)

  local function sorted(list)
    table.sort(list)
    return list
  end

  it("selects tasks in an id range whose text contains a word", function()
    local lo, hi = ids[5], ids[45]
    local filters = Filters.create(Filters.AND, {
      Filters.item(Column.id, Operator.GREATER_OR_EQUAL, Type.Number,
                   Filters.value(lo)),
      Filters.item(Column.id, Operator.LESS_OR_EQUAL, Type.Number,
                   Filters.value(hi)),
      Filters.item(Column.data("text"), Operator.CONTAINS, Type.String,
                   Filters.value("possum")),
    })
    local want = {}
    for i = 5, 45 do
      if i % 3 == 0 or i % 10 == 0 then want[#want + 1] = ids[i] end
    end
    local got = project:get_tasks_ids{filters = filters, page_size = 4}
    assert.same(want, sorted(got))
    local tasks = project:get_tasks{filters = filters, page_size = 5}
    assert.equal(#want, #tasks)
  end)

  it("keeps a literal % in a filter value", function()
    local filters = Filters.create(Filters.AND, {
      Filters.item(Column.data("text"), Operator.CONTAINS, Type.String,
                   Filters.value("100% possum")),
    })
    assert.equal(6, #project:get_tasks_ids{filters = filters})
  end)

  it("selects tasks above an id or annotated in a date range", function()
    local threshold = ids[50]
    local annotated = {ids[2], ids[7], ids[55]}
    for _, id in ipairs(annotated) do
      project:create_annotation(id, {result = "Positive"})
    end
    local filters = Filters.create(Filters.OR, {
      Filters.item(Column.id, Operator.GREATER, Type.Number,
                   Filters.value(threshold)),
      Filters.item(Column.completed_at, Operator.IN, Type.Datetime,
                   Filters.value({year = 2021, month = 11, day = 1},
                                 Filters.datetime())),
    })
    local want = {ids[2], ids[7]}
    for i = 51, 60 do want[#want + 1] = ids[i] end
    local got = project:get_tasks_ids{filters = filters, page_size = 3}
    assert.same(sorted(want), sorted(got))
  end)

  -- Filters.item refuses these values because the server fails on
  -- them: sent as raw items, each is a 500 naming the bad value.
  for _, case in ipairs{
    {"tasks:id", "greater", "Number", "abc", "abc"},
    {"tasks:id", "in", "Number", 5, "min"},
    {"tasks:created_at", "greater", "Datetime", "yesterday", "yesterday"},
    {"tasks:id", "empty", "Number", "x", "x"},
  } do
    it(("the server fails on %s %s %s, which Filters.item refuses")
       :format(case[3], case[2], tostring(case[4])), function()
      local raw = {conjunction = "and", items = {{filter = "filter:"
        .. case[1], operator = case[2], type = case[3], value = case[4]}}}
      local ok, err = pcall(project.get_tasks_ids, project,
                            {filters = raw})
      assert.is_false(ok)
      assert.equal(500, err.status)
      assert.truthy(tostring(err):find(case[5], 1, true))
      assert.has_error(function()
        Filters.item(case[1], case[2], case[3], case[4])
      end)
    end)
  end
end)
