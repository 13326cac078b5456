-- Step 4: add predictions to existing tasks. A label picks the
-- Choices control that lists it; a region table picks the rectangle
-- control whose labels include its label.

local common = require "tutorial.common"

local ctx = common.context(...)
local project = common.image_project(ctx)
local task_ids = common.image_task_ids(ctx, 2)

local p1 = project:create_prediction(task_ids[1], "Dog", 0.9)
common.say("prediction %d on task %d: %s %q", p1.id, task_ids[1],
           p1.result[1].from_name, p1.result[1].value.choices[1])

local p2 = project:create_prediction(task_ids[2], {
  x = 10, y = 20, width = 30, height = 40, label = {"Dog"},
}, 0.9)
local v = p2.result[1].value
common.say("prediction %d on task %d: %s %q at x=%g y=%g w=%g h=%g", p2.id,
           task_ids[2], p2.result[1].from_name, v.rectanglelabels[1],
           v.x, v.y, v.width, v.height)
return ctx
