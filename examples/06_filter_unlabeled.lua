-- Step 6: prepare unlabeled data with a filter: tasks with ids 1 to
-- 1000 whose text contains "possum".

local common = require "tutorial.common"
local dm = require "labelstudio.data_manager"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

local ctx = common.context(...)
local project = common.text_project(ctx)

local filters = Filters.create(Filters.AND, {
  Filters.item(Column.id, Operator.GREATER_OR_EQUAL, Type.Number,
               Filters.value(1)),
  Filters.item(Column.id, Operator.LESS_OR_EQUAL, Type.Number,
               Filters.value(1000)),
  Filters.item(Column.data("text"), Operator.CONTAINS, Type.String,
               Filters.value("possum")),
})
local ids = project:get_tasks_ids{filters = filters}
common.say("filter 1 (1 <= id <= 1000 and text contains \"possum\")"
           .. " selected %d of %d tasks", #ids, #ctx.text_ids)
return ctx
