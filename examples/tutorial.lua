-- The Python SDK tutorial, every step, in Lua: `make demo` runs this
-- against a local Label Studio. Each step is also a script of its own
-- (examples/01_connect.lua ... examples/08_settings.lua).

local here = (arg and arg[0] or "examples/tutorial.lua"):match("^(.*/)")
  or "./"

local STEPS = {
  {"01_connect", "Connect and check the connection"},
  {"02_create_project", "Create a project"},
  {"03_import_tasks", "Import tasks"},
  {"04_predictions", "Add predictions to existing tasks"},
  {"05_preannotated", "Import pre-annotated tasks"},
  {"06_filter_unlabeled", "Prepare unlabeled data with filters"},
  {"07_filter_annotations", "Manage annotations with filters"},
  {"08_settings", "Modify project settings"},
  {"storage", "Connect local-files and S3 storages"},
}

local ctx = require("tutorial.common").context()
for i, step in ipairs(STEPS) do
  io.stdout:write(("\n== Step %d: %s\n"):format(i, step[2]))
  local chunk = assert(loadfile(here .. step[1] .. ".lua", "t"))
  ctx = chunk(ctx)
end
io.stdout:write("\nDone: every step of the tutorial ran.\n")
