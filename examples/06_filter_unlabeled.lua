-- Step 6: prepare unlabeled data with a filter: tasks with ids 1 to
-- 1000 whose text contains "possum".

local common = require "tutorial.common"
local dm = require "labelstudio.data_manager"

local Filters, Column, Operator, Type =
  dm.Filters, dm.Column, dm.Operator, dm.Type

local ctx = common.context(...)
if ctx.text_project == nil then
  ctx.text_project = ctx.client:start_project{
    title = "Animal sightings", label_config = common.TEXT_CONFIG,
  }
  local tasks = {}
  for i = 1, 250 do
    local animal = i % 4 == 0 and "a possum" or "a wombat"
    tasks[i] = {text = ("Sighting %d: %s in the garden"):format(i, animal)}
  end
  ctx.text_ids = ctx.text_project:import_tasks(tasks)
  common.say("created project %d at %s with %d text tasks",
             ctx.text_project.id, common.project_url(ctx, ctx.text_project),
             #ctx.text_ids)
end

local filters = Filters.create(Filters.AND, {
  Filters.item(Column.id, Operator.GREATER_OR_EQUAL, Type.Number,
               Filters.value(1)),
  Filters.item(Column.id, Operator.LESS_OR_EQUAL, Type.Number,
               Filters.value(1000)),
  Filters.item(Column.data("text"), Operator.CONTAINS, Type.String,
               Filters.value("possum")),
})
local ids = ctx.text_project:get_tasks_ids{filters = filters}
common.say("filter 1 (1 <= id <= 1000 and text contains \"possum\")"
           .. " selected %d of %d tasks", #ids, #ctx.text_ids)
return ctx
