-- The main job: examples/tutorial.lua, every step of the Python SDK
-- tutorial, run as a user runs it, against the real server.

local cli = require "cli"

describe("examples/tutorial.lua #integration", function()
  local r

  setup(function()
    r = cli.run({"examples/tutorial.lua"}, {env = {
      LABEL_STUDIO_URL = os.getenv("LABEL_STUDIO_URL"),
      LABEL_STUDIO_API_KEY = os.getenv("LABEL_STUDIO_API_KEY"),
    }})
  end)

  it("runs every step and exits 0 with nothing on standard error", function()
    assert.equal(0, r.code, r.stderr)
    assert.equal("", r.stderr)
    assert.matches("Done: every step of the tutorial ran%.", r.stdout)
    for step = 1, 9 do
      assert.matches("== Step " .. step .. ":", r.stdout)
    end
  end)

  it("turns both of the tutorial's predictions into full results", function()
    assert.matches('prediction %d+ on task %d+: pet "Dog"', r.stdout)
    assert.matches('box "Dog" at x=10 y=20 w=30 h=40', r.stdout)
  end)

  it("reports the pre-annotated tasks, filters and settings", function()
    assert.matches('prediction pet "Dog"', r.stdout)
    assert.matches('prediction pet "Cat"', r.stdout)
    assert.matches("filter 1 %b() selected %d+ of 250 tasks", r.stdout)
    assert.matches("filter 2 %b() selected %d+ of 250 tasks", r.stdout)
    assert.matches('sampling is now "Uniform sampling"', r.stdout)
    assert.matches('model version is now "v2"', r.stdout)
  end)

  it("brings tasks in from the local-files and S3 storages", function()
    assert.matches("local files storage %d+: completed, 2 tasks", r.stdout)
    assert.matches("S3 storage %d+ %b(): completed, 2 tasks", r.stdout)
  end)
end)


-- Each step's header promises it runs alone: run every one so, on its
-- own projects, as `lsrun examples/08_settings.lua` runs it.
describe("examples/tutorial's steps run alone #integration", function()
  local STEPS = {"01_connect", "02_create_project", "03_import_tasks",
                 "04_predictions", "05_preannotated",
                 "06_filter_unlabeled", "07_filter_annotations",
                 "08_settings", "storage"}
  for _, step in ipairs(STEPS) do
    it(("runs examples/%s.lua alone and exits 0"):format(step), function()
      local r = cli.run({"examples/" .. step .. ".lua"}, {env = {
        LABEL_STUDIO_URL = os.getenv("LABEL_STUDIO_URL"),
        LABEL_STUDIO_API_KEY = os.getenv("LABEL_STUDIO_API_KEY"),
      }})
      assert.equal(0, r.code, r.stderr)
      assert.equal("", r.stderr)
    end)
  end
end)
