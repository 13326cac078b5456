-- Full results are checked against the project's label config before
-- anything is sent; `validate = false` sends them as they are.

local srv = require "ls_server"

local function box(label, x)
  return {{from_name = "box", to_name = "image", type = "rectanglelabels",
           value = {x = x or 10, y = 10, width = 20, height = 20,
                    rotation = 0, rectanglelabels = {label}}}}
end


describe("result checks before sending #integration", function()
  local p, ids

  setup(function()
    p = srv.project(srv.client(), "result checks")
    ids = p:import_tasks(srv.image_tasks(2))
  end)

  teardown(srv.project_cleanup)

  local function predictions()
    return #p:list_predictions()
  end

  it("gives the project's label config, parsed", function()
    local cfg = p:label_config()
    assert.equal("pet", cfg.controls.pet.name)
    assert.equal("RectangleLabels", cfg.controls.box.tag)
  end)

  local refused = {
    {"an unknown label", box("Horse"), "Horse"},
    {"a box reaching past 100%", box("Dog", 90), "past 100"},
    {"an unknown control", {{from_name = "nope", to_name = "image",
                             type = "choices",
                             value = {choices = {"Dog"}}}}, "nope"},
    {"a wrong type", {{from_name = "pet", to_name = "image",
                       type = "labels", value = {labels = {"Dog"}}}},
     "type"},
  }
  for _, case in ipairs(refused) do
    it("refuses a full result with " .. case[1] .. ", sending nothing",
       function()
      local before = predictions()
      local ok, e = pcall(p.create_prediction, p, ids[1], case[2], 0.5)
      assert.is_false(ok)
      assert.matches("result_check_spec%.lua:%d+:", e)
      assert.matches(case[3], e, 1, true)
      assert.equal(before, predictions())
    end)
  end

  it("sends a full result unchecked with validate = false", function()
    local pred = p:create_prediction(ids[1], box("Horse"), 0.5, nil,
                                     {validate = false})
    assert.equal("Horse", pred.result[1].value.rectanglelabels[1])
    pred = p:create_prediction{task_id = ids[2], result = box("Horse"),
                               validate = false}
    assert.equal("Horse", pred.result[1].value.rectanglelabels[1])
  end)

  it("checks annotations and bulk predictions the same way", function()
    local ok, e = pcall(p.create_annotation, p, ids[1],
                        {result = box("Horse")})
    assert.is_false(ok)
    assert.matches("Horse", e, 1, true)
    ok, e = pcall(p.create_predictions, p,
                  {{task = ids[1], result = box("Dog")},
                   {task = ids[2], result = box("Horse")}})
    assert.is_false(ok)
    assert.matches("Horse", e, 1, true)
    local a = p:create_annotation(ids[1], {result = box("Horse"),
                                           validate = false})
    assert.equal("Horse", a.result[1].value.rectanglelabels[1])
  end)

  it("checks many annotations at once, naming the bad one", function()
    local ok, e = pcall(p.create_annotations, p, {
      {task = ids[1], result = box("Dog")},
      {task = ids[2], result = box("Horse")}})
    assert.is_false(ok)
    assert.matches("annotation 2: .*Horse", e)
    local made = p:create_annotations({{task = ids[2], result = box("Horse")}},
                                      {validate = false})
    assert.equal("Horse", made[1].result[1].value.rectanglelabels[1])
  end)

  it("refuses a table without task_id where a task id belongs", function()
    local ok, e = pcall(p.list_predictions, p, {id = ids[1]})
    assert.is_false(ok)
    assert.matches("task_id must be integer", e)
    assert.is_true(#p:list_predictions{task_id = ids[2]} > 0)
  end)

  it("passes a full result that fits", function()
    local pred = p:create_prediction(ids[2], box("Cat"), 0.7)
    assert.equal("Cat", pred.result[1].value.rectanglelabels[1])
  end)
end)
