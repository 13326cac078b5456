-- Step 3: import tasks into a project, here image tasks.

local common = require "tutorial.common"

local ctx = common.context(...)
local project = common.image_project(ctx)
local ids = project:import_tasks{
  {image = common.image_url(1)},
  {image = common.image_url(2)},
}
common.say("imported %d tasks into project %d: ids %s", #ids, project.id,
           table.concat(ids, ", "))
return ctx
