-- labelstudio.project's checks before anything is sent: a project on
-- a closed port, so a call that got past its checks would fail with a
-- transport error instead of the misuse error asserted here.

local ls = require "labelstudio"
local Project = require "labelstudio.project"
local json = require "labelstudio.json"

local HERE = "project_spec.lua:%d+"
local KEY = "0123456789abcdef0123456789abcdef01234567"

-- The tutorial's pets config: a Choices "pet" and RectangleLabels
-- "box" on an Image.
local CONFIG = dofile("examples/tutorial/common.lua").IMAGE_CONFIG


local function project()
  local client = ls.Client{url = "http://127.0.0.1:1", api_key = KEY,
                           retries = 0}
  return Project.new(client, {id = 1, label_config = CONFIG})
end


--- The message of the misuse error `fn` raises at this file's line.
local function misuse(fn, ...)
  local ok, err = pcall(fn, ...)
  assert.is_false(ok)
  assert.is_string(err)
  assert.matches(HERE, err)
  return err
end


describe("labelstudio.project before sending", function()
  describe("a list with a hole", function()
    local calls = {
      {"import_tasks", function(p)
        return p:import_tasks{{image = "a"}, nil, {image = "c"}}
      end, "tasks"},
      {"create_predictions", function(p)
        return p:create_predictions{{task = 1, result = "Dog"}, nil,
                                    {task = 1, result = "Cat"}}
      end, "predictions"},
      {"create_annotations", function(p)
        return p:create_annotations{{task = 1, result = "Dog"}, nil,
                                    {task = 1, result = "Cat"}}
      end, "annotations"},
    }
    for _, c in ipairs(calls) do
      it(c[1] .. " refuses it, naming where", function()
        local err = misuse(c[2], project())
        assert.matches(c[3] .. ": list has a hole at 2", err, 1, true)
      end)
    end
  end)

  describe("a region short form", function()
    local outside = {x = 150, y = -20, width = 30, height = 40,
                     label = "Cat"}

    it("is checked like a full result: a box outside the image",
       function()
      local err = misuse(project().create_prediction, project(), 1,
                         outside)
      assert.matches("does not fit the project's label config", err,
                     1, true)
    end)

    it("is checked in bulk too, naming the prediction", function()
      local p = project()
      local err = misuse(p.create_predictions, p,
                         {{task = 1, result = "Dog"},
                          {task = 1, result = outside}})
      assert.matches("prediction 2: the result does not fit", err, 1, true)
    end)

    it("is sent unchecked with validate = false", function()
      local p = project()
      local ok, err = pcall(p.create_prediction, p, 1, outside, nil, nil,
                            {validate = false})
      assert.is_false(ok)
      assert.is_true(ls.errors.is(err))   -- got as far as sending
      assert.is_nil(err.status)
    end)
  end)

  describe("create_predictions' items", function()
    local ok_item = {task = 1, result = "Dog"}
    local cases = {
      {"a score that is not a number",
       {task = 1, result = "Cat", score = "high"},
       "prediction 2's score must be number, not string"},
      {"a task that is not an integer", {task = "7", result = "Cat"},
       "prediction 2's task must be integer, not string"},
      {"no task", {result = "Cat"},
       "prediction 2's task must be integer, not nil"},
      {"a model_version that is not a string",
       {task = 1, result = "Cat", model_version = 3},
       "prediction 2's model_version must be string, not integer"},
      {"a misspelt task", {tsk = 1, result = "Cat"},
       "prediction 2: unknown field 'tsk' (did you mean 'task'?)"},
      {"a misspelt score", {task = 1, result = "Cat", scroe = 0.5},
       "prediction 2: unknown field 'scroe' (did you mean 'score'?)"},
      {"no result", {task = 1}, "prediction 2: a result is required"},
      {"an unknown label", {task = 1, result = "Horse"},
       'prediction 2: label_config: no Choices or Taxonomy control has'
       .. ' "Horse"'},
      {"an item that is not a table", "Cat",
       "prediction 2 must be table, not string"},
    }
    for _, c in ipairs(cases) do
      it("refuses " .. c[1] .. ", sending nothing", function()
        local p = project()
        local err = misuse(p.create_predictions, p, {ok_item, c[2]})
        assert.matches(c[3], err, 1, true)
      end)
    end

    it("takes a prediction as the server lists it", function()
      local p = project()
      local ok, err = pcall(p.create_predictions, p, {{
        id = 3, task = 1, project = 1, result = "Cat", score = 0.5,
        model_version = "v1", created_at = "2020-01-01T00:00:00Z",
        updated_at = "2020-01-01T00:00:00Z", created_ago = "0 minutes",
        cluster = json.null, neighbors = json.null, mislabeling = 0.0,
        model = json.null, model_run = json.null}})
      assert.is_false(ok)
      assert.is_true(ls.errors.is(err))     -- got as far as sending
      assert.is_nil(err.status)
    end)
  end)

  describe("import_tasks' second argument", function()
    local rows = {{image = "https://x.invalid/1.jpg", pet = "Dog"}}

    local function sent(...)
      local p = project()
      local ok, err = pcall(p.import_tasks, p, rows, ...)
      assert.is_false(ok)
      assert.is_true(ls.errors.is(err))   -- got as far as sending
      assert.is_nil(err.status)
    end

    it("takes Python's preannotated_from_fields list or string", function()
      sent({"pet"})
      sent("pet")
      sent({"pet"}, {chunk_size = 10})
      sent({preannotated_from_fields = {"pet"}, chunk_size = 10})
    end)

    it("refuses the fields twice, or options after an options table",
       function()
      local p = project()
      local err = misuse(p.import_tasks, p, rows, {"pet"},
                         {preannotated_from_fields = {"pet"}})
      assert.matches("preannotated_from_fields given twice", err, 1, true)
      err = misuse(p.import_tasks, p, rows, {chunk_size = 1}, {})
      assert.matches("must be a list or a string when options follow",
                     err, 1, true)
    end)
  end)

  it("refuses create_prediction without a result, as the server would",
     function()
    local p = project()
    local err = misuse(p.create_prediction, p, 1)
    assert.matches("a result is required: the server refuses a null one"
                   .. " (give {} for a prediction with no regions)", err,
                   1, true)
  end)

  describe("annotation fields", function()
    local cases = {
      {"create_annotation", function(p)
        return p:create_annotation(1, {reslt = "Cat"})
      end, "annotation: unknown field 'reslt' (did you mean 'result'?)"},
      {"create_annotation by name", function(p)
        return p:create_annotation{task_id = 1, result = "Cat",
                                   grund_truth = true}
      end, "annotation: unknown field 'grund_truth' (did you mean"
           .. " 'ground_truth'?)"},
      {"create_annotations", function(p)
        return p:create_annotations{{task = 1, result = "Cat"},
                                    {task = 1, reslt = "Cat"}}
      end, "annotation 2: unknown field 'reslt' (did you mean 'result'?)"},
    }
    for _, c in ipairs(cases) do
      it(c[1] .. " refuses a misspelt field, naming the nearest",
         function()
        local err = misuse(c[2], project())
        assert.matches(c[3], err, 1, true)
        assert.matches("valid: bulk_created, completed_by", err, 1, true)
      end)
    end

    -- the keys Label Studio 1.23.2 returns with an annotation
    local read_back = {
      id = 7, task = 2, project = 1, created_at = "2020-01-01T00:00:00Z",
      updated_at = "2020-01-01T00:00:00Z", created_ago = "0 minutes",
      created_username = " admin@example.com, 1", state = "x",
      prediction = {}, result_count = 1, result = "Cat",
      completed_by = 1, unique_id = "u1",
    }
    local reads = {
      {"create_annotation", function(p, a)
        return p:create_annotation(1, a)
      end},
      {"create_annotations", function(p, a)
        return p:create_annotations{a}
      end},
    }
    for _, c in ipairs(reads) do
      it(c[1] .. " takes an annotation as the server returns it",
         function()
        local ok, err = pcall(c[2], project(), read_back)
        assert.is_false(ok)
        assert.is_true(ls.errors.is(err))   -- got as far as sending
        assert.is_nil(err.status)
      end)

      it(c[1] .. " still refuses a misspelt field beside them",
         function()
        local a = {reslt = "Cat"}
        for k, v in pairs(read_back) do a[k] = v end
        local err = misuse(c[2], project(), a)
        assert.matches("unknown field 'reslt' (did you mean 'result'?)",
                       err, 1, true)
        assert.not_matches("created_ago", err, 1, true)
      end)
    end

    it("lets the server's fields through", function()
      local p = project()
      local ok, err = pcall(p.create_annotation, p, 1, {
        result = "Cat", was_cancelled = false, ground_truth = true,
        lead_time = 1.5, completed_by = 1, parent_prediction = 2,
        draft_id = 3, validate = true})
      assert.is_false(ok)
      assert.is_true(ls.errors.is(err))   -- got as far as sending
      assert.is_nil(err.status)
    end)
  end)
end)
