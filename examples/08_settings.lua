-- Step 8: modify project settings: sampling, the model version whose
-- predictions annotators see, and publishing.

local common = require "tutorial.common"
local ls = require "labelstudio"

local ctx = common.context(...)
local project = common.image_project(ctx)

project:set_sampling(ls.ProjectSampling.RANDOM)
common.say("project %d: sampling is now %q", project.id,
           project.params.sampling)

local task_ids = common.image_task_ids(ctx, 1)
project:create_prediction(task_ids[1], "Cat", 0.7, "v2")
project:set_model_version("v2")
common.say("project %d: model version is now %q", project.id,
           project.params.model_version)

project:set_published(true)
common.say("project %d: published is now %s", project.id,
           tostring(project.params.is_published))

project:set_params{title = "Pets (reviewed)", show_skip_button = false}
common.say("project %d: title is now %q, skip button %s", project.id,
           project.params.title, tostring(project.params.show_skip_button))
return ctx
