-- Step 7: manage annotations with a filter: tasks with an id above 42
-- or annotated between 1 November 2021 and now.

local common = require "tutorial.common"
local dm = require "labelstudio.data_manager"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

local ctx = common.context(...)
local project = common.text_project(ctx)
local ids = project:get_tasks_ids()
table.sort(ids)
local annotated = project:create_annotation(ids[1], {result = "Positive"})
common.say("annotated task %d (annotation %d)", ids[1], annotated.id)

local filters = Filters.create(Filters.OR, {
  Filters.item(Column.id, Operator.GREATER, Type.Number,
               Filters.value(42)),
  Filters.item(Column.completed_at, Operator.IN, Type.Datetime,
               Filters.value({year = 2021, month = 11, day = 1},
                             Filters.datetime())),
})
local selected = project:get_tasks_ids{filters = filters}
table.sort(selected)
local above = 0
for _, id in ipairs(ids) do
  if id > 42 then above = above + 1 end
end
common.say("filter 2 (id > 42 or completed since 2021-11-01) selected"
           .. " %d of %d tasks: %d with id > 42, first ids %s", #selected,
           #ids, above, table.concat(selected, ", ", 1,
                                     math.min(5, #selected)))
return ctx
