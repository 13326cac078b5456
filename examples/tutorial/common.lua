--- What the tutorial's steps share: the client, the projects the
-- steps make, and one way to print what they did.
--
-- Each step is a script that takes this context as its first argument
-- when examples/tutorial.lua runs it, and makes its own when it runs
-- alone (`lsrun examples/04_predictions.lua`).

local ls = require "labelstudio"

local M = {}

--- The image classification and detection config of the tutorial.
M.IMAGE_CONFIG = [[
<View>
  <Image name="image" value="$image"/>
  <Choices name="pet" toName="image">
    <Choice value="Dog"/><Choice value="Cat"/>
  </Choices>
  <RectangleLabels name="box" toName="image">
    <Label value="Dog"/><Label value="Cat"/>
  </RectangleLabels>
</View>]]

--- A text config for the filter steps.
M.TEXT_CONFIG = [[
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>]]


--- The context passed in, or a new one with a client from
-- LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
function M.context(ctx)
  if type(ctx) == "table" then return ctx end
  return {client = ls.Client()}
end


--- Prints one line of the summary.
function M.say(fmt, ...)
  io.stdout:write(fmt:format(...), "\n")
end


--- A project's URL in the web app.
function M.project_url(ctx, project)
  return ctx.client:get_url("projects/" .. project.id .. "/data")
end


--- Image URLs on the .invalid domain: nothing is fetched.
function M.image_url(i)
  return ("https://images.lsrun.invalid/pets/%04d.jpg"):format(i)
end


--- The image project, made by step 3 or here.
function M.image_project(ctx)
  if ctx.image_project == nil then
    ctx.image_project = ctx.client:start_project{
      title = "Pets: classification and boxes",
      label_config = M.IMAGE_CONFIG,
    }
    M.say("created project %d at %s", ctx.image_project.id,
          M.project_url(ctx, ctx.image_project))
  end
  return ctx.image_project
end


--- The ids of the image project's tasks: at least `n`, imported here
-- when a step runs alone, before step 3 has imported any.
function M.image_task_ids(ctx, n)
  local project = M.image_project(ctx)
  local ids = project:get_tasks_ids()
  if #ids < n then
    local tasks = {}
    for i = #ids + 1, n do tasks[#tasks + 1] = {image = M.image_url(i)} end
    for _, id in ipairs(project:import_tasks(tasks)) do
      ids[#ids + 1] = id
    end
  end
  return ids
end


--- The text project of the filter steps, with 250 sightings: every
-- fourth one mentions a possum.
function M.text_project(ctx)
  if ctx.text_project == nil then
    ctx.text_project = ctx.client:start_project{
      title = "Animal sightings", label_config = M.TEXT_CONFIG,
    }
    local tasks = {}
    for i = 1, 250 do
      local animal = i % 4 == 0 and "a possum" or "a wombat"
      tasks[i] = {text = ("Sighting %d: %s in the garden"):format(i, animal)}
    end
    ctx.text_ids = ctx.text_project:import_tasks(tasks)
    M.say("created project %d at %s with %d text tasks",
          ctx.text_project.id, M.project_url(ctx, ctx.text_project),
          #ctx.text_ids)
  end
  return ctx.text_project
end

return M
