-- labelstudio.project against the real server: settings, import,
-- task listing, predictions and annotations.

local json = require "labelstudio.json"
local srv = require "ls_server"

describe("labelstudio.project #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(srv.project_cleanup)

  describe("settings", function()
    local project

    setup(function() project = srv.project(client, "settings") end)

    it("reads its params", function()
      local p = project:get_params()
      assert.equal("settings", p.title)
      assert.equal(project.id, p.id)
    end)

    it("changes params, sampling and publishing", function()
      project:set_params{title = "settings 2"}
      assert.equal("settings 2", project.params.title)
      project:set_sampling("uniform")
      assert.equal("Uniform sampling", project:get_params().sampling)
      project:set_sampling(require("labelstudio").ProjectSampling.SEQUENCE)
      assert.equal("Sequential sampling", project.params.sampling)
      project:set_published(true)
      assert.is_true(project:get_params().is_published)
      project:set_published{is_published = false}
      assert.is_false(project:get_params().is_published)
      project:set_sampling{sampling = "uniform"}
      assert.equal("Uniform sampling", project.params.sampling)
    end)

    it("sets a model version that predictions carry", function()
      local ids = project:import_tasks(srv.image_tasks(1))
      project:create_prediction(ids[1], "Dog", 0.5, "v7")
      project:set_model_version("v7")
      assert.equal("v7", project:get_params().model_version)
    end)
  end)

  describe("task listing", function()
    for _, n in ipairs{0, 1, 100, 101, 250} do
      it(("gives every task once for a project of %d tasks"):format(n),
         function()
        local project = srv.project(client, "tasks " .. n)
        local ids = {}
        for i = 1, n, 100 do
          local chunk = {}
          for j = i, math.min(n, i + 99) do
            chunk[#chunk + 1] = {image = ("https://x.invalid/%d"):format(j)}
          end
          for _, id in ipairs(project:import_tasks(chunk)) do
            ids[#ids + 1] = id
          end
        end
        assert.equal(n, #ids)
        -- The default pages (1000) and pages of 100, whose bounds these
        -- sizes straddle.
        for _, opts in ipairs({{}, {page_size = 100}}) do
          local tasks = project:get_tasks(opts)
          local got_ids = project:get_tasks_ids(opts)
          assert.equal(n, #tasks)
          assert.equal(n, #got_ids)
          local seen = srv.set(got_ids)
          for _, id in ipairs(ids) do assert.equal(1, seen[id]) end
          for _, t in ipairs(tasks) do assert.equal(1, seen[t.id]) end
        end
      end)
    end

    it("ends past the last page and fails for an unknown project",
       function()
      local project = srv.project(client, "pages")
      project:import_tasks(srv.image_tasks(3))
      local page = project:get_paginated_tasks{page = 2, page_size = 3}
      assert.is_true(page.end_pagination)
      assert.same({}, page.tasks)
      local first = project:get_paginated_tasks{page = 1, page_size = 2}
      assert.equal(3, first.total)
      assert.equal(2, #first.tasks)
      local ok, err = pcall(client.get_project, client, 987654)
      assert.is_false(ok)
      assert.equal(404, err.status)
      local ghost = setmetatable({id = 987654, client = client},
                                 getmetatable(project))
      ok, err = pcall(ghost.get_paginated_tasks, ghost, {page = 1})
      assert.is_false(ok)
      assert.equal(404, err.status)
    end)

    it("honours selected_ids, ordering and only_ids", function()
      local project = srv.project(client, "selected")
      local ids = project:import_tasks(srv.image_tasks(5))
      local got = project:get_tasks{selected_ids = {ids[2], ids[4]},
                                    only_ids = true}
      table.sort(got)
      assert.same({ids[2], ids[4]}, got)
      assert.same({}, project:get_tasks{selected_ids = {}})
      local desc = project:get_tasks_ids{ordering = {"-tasks:id"}}
      assert.equal(ids[5], desc[1])
      assert.equal(ids[3], project:get_task(ids[3]).id)
    end)

    it("gives one page of task ids, then an end past the last page",
       function()
      local project = srv.project(client, "paginated ids")
      local ids = project:import_tasks(srv.image_tasks(5))
      local first = project:get_paginated_tasks_ids{page = 1, page_size = 2}
      assert.same({ids[1], ids[2]}, first.tasks)
      assert.equal(5, first.total)
      local last = project:get_paginated_tasks_ids{page = 3, page_size = 2}
      assert.same({ids[5]}, last.tasks)
      local past = project:get_paginated_tasks_ids{page = 4, page_size = 2}
      assert.is_true(past.end_pagination)
      assert.same({}, past.tasks)
    end)

    it("pages 101 tasks with any page size from 1, and refuses less",
       function()
      local project = srv.project(client, "page sizes")
      local ids = project:import_tasks(srv.image_tasks(101))
      for _, o in ipairs{{page_size = 50}, {page_size = 100},
                         {page_size = 7, max_in_flight = 1}} do
        local got = project:get_tasks_ids(o)
        assert.equal(101, #got)
        assert.same(srv.set(ids), srv.set(got))
      end
      for _, o in ipairs{{page_size = 0}, {page_size = -1},
                         {max_in_flight = 0}, {page = 3}} do
        local ok, err = pcall(project.get_tasks, project, o)
        assert.is_false(ok)
        assert.matches("project_spec%.lua:%d+: ", err)
      end
    end)

    it("refuses view_id with filters, whose filters the server ignores",
       function()
      local dm = require "labelstudio.data_manager"
      local F, C, O, T = dm.Filters, dm.Column, dm.Operator, dm.Type
      local project = srv.project(client, "view and filters")
      local ids = project:import_tasks(srv.image_tasks(4))
      local view = project:create_view(F.create(F.AND, {
        F.item(C.id, O.LESS_OR_EQUAL, T.Number, F.value(ids[2]))}))
      assert.same({ids[1], ids[2]},
                  project:get_tasks_ids{view_id = view.id})
      local above = F.create(F.AND, {
        F.item(C.id, O.GREATER, T.Number, F.value(ids[1]))})
      assert.equal(3, #project:get_tasks_ids{filters = above})
      local ok, err = pcall(project.get_tasks_ids, project,
                            {view_id = view.id, filters = above})
      assert.is_false(ok)
      assert.matches("project_spec%.lua:%d+: view_id and filters cannot be"
                     .. " combined", err)
    end)

    it("warns about a task field the server drops on update", function()
      local log = require "labelstudio.log"
      local project = srv.project(client, "update drop")
      local id = project:import_tasks(srv.image_tasks(1))[1]
      local lines, sink = {}, log.sink
      log.sink = function(line) lines[#lines + 1] = line end
      local ok, t = pcall(project.update_task, project, id,
                          {dta = {x = 1}, meta = {m = 1}})
      log.sink = sink
      assert.is_true(ok, tostring(t))
      assert.same({m = 1}, t.meta)
      assert.same({"lsrun: warn: update_task: the server ignored 'dta'"
                   .. " (not a field it knows)"}, lines)
    end)

    it("reads Python's positional paging arguments after a nil filters",
       function()
      local project = srv.project(client, "positional ids")
      local ids = project:import_tasks(srv.image_tasks(4))
      -- filters, ordering, view_id, selected_ids, page, page_size
      local page = project:get_paginated_tasks_ids(nil, {"-tasks:id"}, nil,
                                                   {ids[1], ids[2], ids[3]},
                                                   2, 2)
      assert.same({ids[1]}, page.tasks)
      assert.equal(3, page.total)
      local tasks = project:get_paginated_tasks(nil, nil, nil, {ids[4]})
      assert.equal(ids[4], tasks.tasks[1].id)
      assert.same({ids[4], ids[3], ids[2], ids[1]},
                  project:get_tasks_ids(nil, {"-tasks:id"}))
    end)
  end)

  describe("import", function()
    local function check_file(ext, text, n)
      local project = srv.project(client, "file " .. ext)
      local path = srv.temp_file(ext, text)
      local ids = project:import_tasks(path)
      os.remove(path)
      assert.equal(n, #ids)
      assert.equal(n, #project:get_tasks_ids())
      return project, ids
    end

    it("imports a JSON file", function()
      check_file("json", json.encode{{image = "https://x.invalid/a"},
                                     {image = "https://x.invalid/b"}}, 2)
    end)

    it("imports CSV and TSV files", function()
      check_file("csv", "image\nhttps://x.invalid/a\nhttps://x.invalid/b\n",
                 2)
      check_file("tsv", "image\tn\nhttps://x.invalid/a\t1\n", 1)
    end)

    it("imports a TXT file, one task a line", function()
      local project = srv.project(client, "txt", srv.TEXT_CONFIG)
      local path = srv.temp_file("txt", "one\ntwo\nthree\n")
      local ids = project:import_tasks(path)
      os.remove(path)
      assert.equal(3, #ids)
      assert.equal("two", project:get_task(ids[2]).data.text)
    end)

    it("imports pre-annotated tasks from fields", function()
      local project = srv.project(client, "preannotated")
      local ids = project:import_tasks({
        {image = "https://x.invalid/1.jpg", pet = "Dog"},
        {image = "https://x.invalid/2.jpg", pet = "Cat"},
      }, {preannotated_from_fields = {"pet"}})
      assert.equal(2, #ids)
      local task = project:get_task(ids[2])
      assert.equal(1, #task.predictions)
      local r = task.predictions[1].result[1]
      assert.same({"Cat"}, r.value.choices)
    end)
  end)

  describe("import, pre-annotated as Python calls it", function()
    for _, fields in ipairs{{"pet"}, "pet"} do
      it(("takes preannotated_from_fields second, as a %s")
         :format(type(fields)), function()
        local project = srv.project(client, "preannotated positional")
        local ids = project:import_tasks({
          {image = "https://x.invalid/1.jpg", pet = "Cat"},
        }, fields)
        local task = project:get_task(ids[1])
        assert.equal(1, #task.predictions)
        assert.same({"Cat"}, task.predictions[1].result[1].value.choices)
      end)
    end
  end)

  describe("predictions and annotations", function()
    local project, ids

    setup(function()
      project = srv.project(client, "predictions")
      ids = project:import_tasks(srv.image_tasks(4))
    end)

    it("turns a label into a Choices result", function()
      project:create_prediction(ids[1], "Dog", 0.9)
      local p = project:get_task(ids[1]).predictions[1]
      assert.equal("pet", p.result[1].from_name)
      assert.same({"Dog"}, p.result[1].value.choices)
      assert.near(0.9, p.score, 1e-9)
    end)

    it("turns a region table into a rectangle result", function()
      project:create_prediction(ids[2], {x = 10, y = 20, width = 30,
                                         height = 40, label = {"Dog"}}, 0.9)
      local r = project:get_task(ids[2]).predictions[1].result[1]
      assert.equal("box", r.from_name)
      assert.equal("rectanglelabels", r.type)
      assert.same({"Dog"}, r.value.rectanglelabels)
      assert.equal(30, r.value.width)
    end)

    it("refuses an unknown label, naming the valid ones", function()
      local ok, err = pcall(project.create_prediction, project, ids[3],
                            "Horse")
      assert.is_false(ok)
      assert.matches("Dog", err)
      assert.matches("project_spec.lua", err)
    end)

    it("creates predictions in bulk", function()
      local r = project:create_predictions{
        {task = ids[3], result = "Cat", score = 0.4, model_version = "bulk"},
        {task = ids[4], result = "Dog", score = 0.6, model_version = "bulk"},
      }
      assert.equal(2, r.created)
      local p = project:get_task(ids[4]).predictions[1]
      assert.equal("bulk", p.model_version)
    end)

    it("creates an annotation", function()
      local a = project:create_annotation(ids[1], {result = "Cat"})
      assert.equal("choices", a.result[1].type)
      assert.equal(1, project:get_task(ids[1]).total_annotations)
    end)

    it("keeps the Python SDK's defaults for score and model_version",
       function()
      local id = project:import_tasks(srv.image_tasks(1))[1]
      project:create_prediction(id, "Dog")
      project:create_predictions{{task = id, result = "Cat"}}
      local one, many = table.unpack(project:get_task(id).predictions)
      assert.equal(0, one.score)            -- sent as 0, as Python does
      assert.equal("", one.model_version)   -- not sent: the server's ""
      assert.equal(json.null, many.score)   -- items go as they are
      assert.equal("undefined", many.model_version)
    end)

    it("takes a label two controls list by control name, as the hint"
       .. " says", function()
      local p = srv.project(client, "two dogs", [[
        <View>
          <Image name="image" value="$image"/>
          <Choices name="pet" toName="image">
            <Choice value="Dog"/><Choice value="Cat"/>
          </Choices>
          <Choices name="mood" toName="image">
            <Choice value="Happy"/><Choice value="Dog"/>
          </Choices>
        </View>]])
      local id = p:import_tasks(srv.image_tasks(1))[1]
      local ok, err = pcall(p.create_prediction, p, id, "Dog")
      assert.is_false(ok)
      assert.matches('such as {pet = "Dog"}', err, 1, true)
      p:create_prediction(id, {pet = "Dog"}, 0.5)
      local r = p:get_task(id).predictions[1].result
      assert.equal(1, #r)
      assert.equal("pet", r[1].from_name)
      assert.same({"Dog"}, r[1].value.choices)
    end)

    it("stores a value payload as the result of its control", function()
      local id = project:import_tasks(srv.image_tasks(1))[1]
      project:create_prediction(id, {choices = {"Cat"}}, 0.3, "payload")
      project:create_prediction(id, {rectanglelabels = {"Dog"}, x = 10,
                                     y = 20, width = 30, height = 40},
                                0.4, "payload")
      local preds = project:get_task(id).predictions
      table.sort(preds, function(a, b) return a.id < b.id end)
      local c, r = preds[1].result[1], preds[2].result[1]
      assert.same({"pet", "image", "choices"},
                  {c.from_name, c.to_name, c.type})
      assert.same({"Cat"}, c.value.choices)
      assert.same({"box", "image", "rectanglelabels"},
                  {r.from_name, r.to_name, r.type})
      assert.same({"Dog"}, r.value.rectanglelabels)
      assert.equal(30, r.value.width)
    end)

    it("refuses a prediction without a result, as the server does",
       function()
      local id = project:import_tasks(srv.image_tasks(1))[1]
      local ok, err = pcall(project.create_prediction, project, id)
      assert.is_false(ok)
      assert.matches("a result is required", err, 1, true)
      -- what Python's result=None sends: the server refuses it too
      local r = client:make_request("POST", "/api/predictions/", {
        json = {task = id, result = json.null, score = 0},
        raise_exceptions = false})
      assert.equal(400, r.status)
      assert.same({"This field may not be null."},
                  r.json.validation_errors.result)
      assert.equal(0, #project:get_task(id).predictions)
    end)

    it("copies an annotation read back, to another task", function()
      local from, to = table.unpack(project:import_tasks(
        srv.image_tasks(2)))
      local a = project:create_annotation(from, {result = "Cat",
                                                 lead_time = 2.5})
      local copy = project:create_annotation(to, project:get_annotation(
        a.id))
      assert.are_not.equal(a.id, copy.id)
      assert.equal(to, copy.task)
      assert.same({"Cat"}, copy.result[1].value.choices)
      assert.equal(2.5, copy.lead_time)
      copy = project:create_annotation(to, {result = "Dog", task = from,
                                            project = project.id})
      assert.equal(to, copy.task)             -- the URL's task wins
      assert.equal(2, #project:list_annotations(to))
    end)

    it("copies an exported annotation once its unique_id is cleared",
       function()
      local id = project:import_tasks(srv.image_tasks(1))[1]
      project:create_annotation(id, {result = "Dog"})
      local a
      for _, t in ipairs(project:export_tasks{ids = {id}}) do
        if t.id == id then a = t.annotations[1] end
      end
      assert.is_string(a.unique_id)
      assert.is_number(a.result_count)
      local ok, err = pcall(project.create_annotation, project, id, a)
      assert.is_false(ok)                   -- sent: the server refuses
      assert.equal(409, err.status)         -- a second one with that id
      a.unique_id = nil
      local copy = project:create_annotation(id, a)
      assert.same({"Dog"}, copy.result[1].value.choices)
      assert.equal(2, #project:list_annotations(id))
    end)

    it("sends listed predictions back in bulk", function()
      local from, to = table.unpack(project:import_tasks(
        srv.image_tasks(2)))
      project:create_prediction(from, "Cat", 0.25, "listed")
      local listed = project:list_predictions(from)
      assert.is_string(listed[1].created_ago)   -- read-only keys too
      listed[1].task = to
      assert.same({created = 1}, project:create_predictions(listed))
      local p = project:list_predictions(to)[1]
      assert.same({"Cat"}, p.result[1].value.choices)
      assert.equal(0.25, p.score)
      assert.equal("listed", p.model_version)
    end)

    it("stores an empty result as an empty list, not null", function()
      local id = project:import_tasks(srv.image_tasks(1))[1]
      project:create_prediction(id, {}, 0.1, "empty")
      assert.same({created = 1}, project:create_predictions{
        {task = id, result = {}, score = 0.2, model_version = "empty"}})
      project:create_annotation(id, {result = {}})
      local task = project:get_task(id)
      assert.equal(2, #task.predictions)
      for _, p in ipairs(task.predictions) do
        assert.equal("[]", json.encode(p.result))
      end
      assert.equal("[]", json.encode(task.annotations[1].result))
    end)
  end)
end)
