-- Step 5: import pre-annotated tasks: the `pet` field of each task
-- becomes a prediction.

local common = require "tutorial.common"

local ctx = common.context(...)
local project = common.image_project(ctx)
local ids = project:import_tasks({
  {image = common.image_url(3), pet = "Dog"},
  {image = common.image_url(4), pet = "Cat"},
}, {preannotated_from_fields = {"pet"}})
for _, id in ipairs(ids) do
  local task = project:get_task(id)
  local r = task.predictions[1].result[1]
  common.say("imported pre-annotated task %d: prediction %s %q", id,
             r.from_name, r.value.choices[1])
end
return ctx
