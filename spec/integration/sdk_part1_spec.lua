-- The rest of the legacy SDK against the real server: tasks, actions,
-- predictions and annotations, views, users, webhooks, ML backends.
-- Webhooks and the ML backend go to a loopback service the spec runs.

local json = require "labelstudio.json"
local ls = require "labelstudio"
local srv = require "ls_server"
local dm = ls.data_manager
local F = dm.Filters

local function text_tasks(n)
  local out = {}
  for i = 1, n do out[i] = {text = "text " .. i} end
  return out
end

local function sorted(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  table.sort(out)
  return out
end

local function catch(fn, ...)
  local ok, e = pcall(fn, ...)
  assert.is_false(ok)
  return e
end

local function new_project(client, title, n)
  local p = srv.project(client, title, srv.TEXT_CONFIG)
  return p, p:import_tasks(text_tasks(n or 0))
end


describe("labelstudio SDK part 1 #integration", function()
  local client

  setup(function() client = srv.client() end)
  teardown(srv.project_cleanup)

  describe("projects", function()
    it("gives prediction coverage per model version", function()
      local p, ids = new_project(client, "coverage", 4)
      p:create_prediction(ids[1], "Positive", 0.5, "v1")
      p:create_prediction(ids[2], "Negative", 0.5, "v1")
      p:create_prediction(ids[3], "Negative", 0.5, "v2")
      assert.same({v1 = 2, v2 = 1}, p:get_model_versions())
      assert.same({v1 = 0.5, v2 = 0.25}, p:get_predictions_coverage())
    end)

    it("gives an empty coverage for a project without tasks", function()
      local p = new_project(client, "coverage 0")
      assert.same({}, p:get_predictions_coverage())
    end)

    it("validates a label config on the server and offline", function()
      local p = new_project(client, "validate")
      local r = p:validate_label_config(srv.TEXT_CONFIG)
      -- 1.23 answers null, not a boolean, for a project without data
      assert.is_not_nil(r.config_essential_data_has_changed)
      assert.is_true(client:validate_label_config(srv.IMAGE_CONFIG))
      local bad = "<View><Choices name='c' toName='nowhere'/></View>"
      local e = catch(client.validate_label_config, client, bad)
      assert.equal(400, e.status)
      assert.is_table(e.validation_errors.label_config)
      e = catch(p.validate_label_config, p, bad)
      assert.equal(400, e.status)
      local off = p:validate_label_config(bad, {offline = true})
      assert.is_false(off.ok)
      assert.is_true(#off.problems > 0)
      assert.is_true(p:validate_label_config{label_config =
        srv.TEXT_CONFIG, opts = {offline = true}}.ok)
    end)

    it("deletes every project the key sees", function()
      local other = srv.client()
      new_project(other, "doomed 1")
      new_project(other, "doomed 2")
      assert.is_true(client:delete_all_projects() >= 2)
      assert.same({}, client:get_projects())
    end)
  end)

  describe("tasks", function()
    it("updates and deletes one task", function()
      local p, ids = new_project(client, "tasks", 2)
      local t = p:update_task(ids[1], {data = {text = "fixed"}})
      assert.equal("fixed", t.data.text)
      t = p:update_task{task_id = ids[1], meta = {source = "spec"}}
      assert.equal("spec", p:get_task(ids[1]).meta.source)
      p:delete_task(ids[2])
      assert.same({ids[1]}, p:get_tasks_ids())
      assert.equal(404, catch(p.get_task, p, ids[2]).status)
    end)

    it("deletes listed tasks, and nothing for an empty list", function()
      local p, ids = new_project(client, "delete tasks", 4)
      assert.same({processed_items = 0}, p:delete_tasks({}))
      assert.equal(4, #p:get_tasks_ids())
      local r = p:delete_tasks({ids[1], ids[3]})
      assert.equal(2, r.processed_items)
      assert.same({ids[2], ids[4]}, sorted(p:get_tasks_ids()))
    end)

    it("deletes all tasks but the excluded ones", function()
      local p, ids = new_project(client, "delete all", 3)
      p:delete_all_tasks({ids[2]})
      assert.same({ids[2]}, p:get_tasks_ids())
      p:delete_all_tasks()
      assert.same({}, p:get_tasks_ids())
    end)

    it("lists labeled and unlabeled tasks and their ids", function()
      local p, ids = new_project(client, "labeled", 3)
      p:create_annotation(ids[2], {result = "Positive"})
      assert.same({ids[2]}, p:get_labeled_tasks_ids())
      assert.same({ids[1], ids[3]}, sorted(p:get_unlabeled_tasks_ids()))
      local labeled = p:get_labeled_tasks()
      assert.equal(1, #labeled)
      assert.equal(ids[2], labeled[1].id)
      assert.equal(2, #p:get_unlabeled_tasks())
      assert.same({ids[2]}, p:get_labeled_tasks(true))
    end)

    it("raises at the caller for a wrong argument", function()
      local p = new_project(client, "misuse")
      local e = catch(p.update_task, p, "1", {})
      assert.matches("sdk_part1_spec.lua:%d+: task_id must be integer", e)
      e = catch(p.delete_tasks, p, 5)
      assert.matches("sdk_part1_spec.lua:%d+: task_ids must be table", e)
    end)
  end)

  describe("predictions and annotations", function()
    it("lists, gets, updates and deletes predictions", function()
      local p, ids = new_project(client, "predictions", 2)
      local a = p:create_prediction(ids[1], "Positive", 0.5, "v1")
      local b = p:create_prediction(ids[2], "Negative", 0.25, "v1")
      assert.equal(2, #p:list_predictions())
      local one = p:list_predictions(ids[2])
      assert.equal(1, #one)
      assert.equal(b.id, one[1].id)
      assert.equal(0.5, p:get_prediction(a.id).score)
      local u = p:update_prediction(a.id, {score = 0.875})
      assert.equal(0.875, u.score)
      local back = p:get_prediction(a.id)   -- sent back as it came
      back.score = 0.625
      assert.equal(0.625, p:update_prediction(a.id, back).score)
      p:delete_prediction(b.id)
      assert.equal(404, catch(p.get_prediction, p, b.id).status)
      assert.same({a.id}, {p:list_predictions()[1].id})
    end)

    it("lists, gets, updates and deletes annotations", function()
      local p, ids = new_project(client, "annotations", 1)
      local a = p:create_annotation(ids[1], {result = "Positive"})
      local list = p:list_annotations(ids[1])
      assert.equal(1, #list)
      assert.equal(a.id, list[1].id)
      assert.equal("Positive",
                   p:get_annotation(a.id).result[1].value.choices[1])
      local full = p:get_annotation(a.id).result
      full[1].value.choices = {"Negative"}
      p:update_annotation(a.id, {result = full})
      assert.equal("Negative",
                   p:get_annotation(a.id).result[1].value.choices[1])
      p:update_annotation{annotation_id = a.id, ground_truth = true}
      assert.is_true(p:get_annotation(a.id).ground_truth)
      local back = p:get_annotation(a.id)   -- sent back as it came
      back.lead_time = 12.5
      assert.equal(12.5, p:update_annotation(a.id, back).lead_time)
      p:delete_annotation(a.id)
      assert.same({}, p:list_annotations(ids[1]))
    end)

    it("takes exactly the annotation fields the server writes",
       function()
      local p, ids = new_project(client, "annotation fields", 1)
      local r = client:make_request("OPTIONS",
        ("/api/tasks/%d/annotations/"):format(ids[1]))
      local writable = {draft_id = true}   -- read apart by the server
      for k, f in pairs(r.json.actions.POST) do
        if not f.read_only and k ~= "task" and k ~= "project" then
          writable[k] = true
        end
      end
      local project_mod = require "labelstudio.project"
      assert.same(writable, project_mod.ANNOTATION_FIELDS)
    end)

    it("sends nothing for a misspelt annotation field", function()
      local p, ids = new_project(client, "annotation typo", 1)
      local e = catch(p.create_annotation, p, ids[1], {reslt = "Positive"})
      assert.matches("did you mean 'result'?", e, 1, true)
      e = catch(p.create_annotations, p, {{task = ids[1], reslt = "A"}})
      assert.matches("annotation 1: unknown field 'reslt'", e, 1, true)
      assert.same({}, p:get_task(ids[1]).annotations)
      local a = p:create_annotation(ids[1], {result = "Positive",
                                             lead_time = 2.5})
      assert.equal(2.5, p:get_annotation(a.id).lead_time)
    end)

    it("creates many annotations, a few at a time, in order", function()
      local p, ids = new_project(client, "bulk annotations", 20)
      local list = {}
      for i, id in ipairs(ids) do
        list[i] = {task = id, result = i % 2 == 0 and "Positive"
                   or "Negative"}
      end
      local made = p:create_annotations(list, {max_in_flight = 4})
      assert.equal(20, #made)
      for i, a in ipairs(made) do assert.equal(ids[i], a.task) end
      assert.equal(20, #p:get_labeled_tasks_ids())
      assert.same({}, p:create_annotations({}))
    end)

    it("reports which annotations landed when some fail", function()
      local p, ids = new_project(client, "bulk fail", 2)
      local e = catch(p.create_annotations, p, {
        {task = ids[1], result = "Positive"},
        {task = 2 ^ 31 - 1 | 0, result = {{from_name = "sentiment",
          to_name = "text", type = "choices",
          value = {choices = {"Positive"}}}}},
        {task = ids[2], result = "Negative"},
      })
      assert.is_true(ls.errors.is(e))
      assert.equal(404, e.status)
      assert.same({2}, e.failed)
      assert.equal(ids[1], e.created[1].task)
      assert.equal(ids[2], e.created[3].task)
    end)

    it("turns predictions into annotations by model version", function()
      local p, ids = new_project(client, "from predictions", 3)
      p:create_prediction(ids[1], "Positive", 0.5, "keep")
      p:create_prediction(ids[2], "Negative", 0.5, "keep")
      p:create_prediction(ids[3], "Negative", 0.5, "other")
      local r = p:create_annotations_from_predictions({"keep"})
      assert.equal("Created 2 annotations", r.detail)
      assert.same({ids[1], ids[2]}, sorted(p:get_labeled_tasks_ids()))
      p:create_annotations_from_predictions()
      assert.equal(3, #p:get_labeled_tasks_ids())
    end)
  end)

  describe("views", function()
    it("creates, lists, updates and deletes views", function()
      local p, ids = new_project(client, "views", 3)
      local f = F.create(F.AND, {F.item(dm.Column.id, dm.Operator.EQUAL,
                                        dm.Type.Number, ids[2])})
      local v = p:create_view(f, nil, "only two")
      assert.equal("only two", v.data.title)
      assert.same({ids[2]}, p:get_tasks_ids{view_id = v.id})
      local w = p:create_view{title = "sorted", ordering = "-tasks:id"}
      assert.same({ids[3], ids[2], ids[1]}, p:get_tasks_ids{view_id = w.id})
      local titles = {}
      for _, view in ipairs(p:get_views()) do titles[#titles + 1] =
        view.data.title end
      assert.same({"only two", "sorted"}, sorted(titles))
      p:update_view(v.id, {title = "renamed", filters = f})
      assert.equal("renamed", p:get_view(v.id).data.title)
      p:delete_view(v.id)
      assert.equal(1, #p:get_views())
      p:delete_all_views()
      assert.same({}, p:get_views())
    end)
  end)

  describe("actions", function()
    it("lists the server's actions", function()
      local p = new_project(client, "actions")
      local ids = {}
      for _, a in ipairs(p:get_actions()) do ids[a.id] = true end
      for _, want in ipairs{"delete_tasks", "delete_tasks_annotations",
                            "delete_tasks_predictions",
                            "predictions_to_annotations",
                            "retrieve_tasks_predictions",
                            "remove_duplicates"} do
        assert.is_true(ids[want], want)
      end
    end)

    it("runs an action on a selection only", function()
      local p, ids = new_project(client, "run action", 3)
      for _, id in ipairs(ids) do
        p:create_prediction(id, "Positive", 0.5, "v1")
        p:create_annotation(id, {result = "Negative"})
      end
      local r = p:run_action("delete_tasks_annotations", {ids[1]})
      assert.equal(1, r.processed_items)
      assert.same({ids[2], ids[3]}, sorted(p:get_labeled_tasks_ids()))
      p:delete_tasks_predictions({ids[2]})
      assert.equal(0, p:get_task(ids[2]).total_predictions)
      assert.equal(1, p:get_task(ids[3]).total_predictions)
      p:delete_tasks_annotations({ids[2]})
      assert.same({ids[3]}, p:get_labeled_tasks_ids())
      p:predictions_to_annotations({ids[1]}, {model_version = "v1"})
      assert.same({ids[1], ids[3]}, sorted(p:get_labeled_tasks_ids()))
      r = p:run_action{action_id = "delete_tasks",
                       selection = {all = true, excluded = {ids[1]}}}
      assert.equal(2, r.processed_items)
      assert.same({ids[1]}, p:get_tasks_ids())
    end)

    it("never reads an empty selection as every task", function()
      local p = new_project(client, "empty selection", 2)
      for _, sel in ipairs{{}, {included = {}}} do
        local e = catch(p.run_action, p, "delete_tasks", sel)
        assert.matches("sdk_part1_spec.lua:%d+: an empty selection", e)
      end
      assert.matches("selection must be",
                     catch(p.run_action, p, "delete_tasks"))
      assert.same({processed_items = 0}, p:delete_tasks_annotations({}))
      assert.equal(2, #p:get_tasks_ids())
    end)

    it("raises an ApiError for an unknown action", function()
      local p, ids = new_project(client, "unknown action", 1)
      local e = catch(p.run_action, p, "no_such_action", ids)
      assert.is_true(ls.errors.is(e))
      assert.is_true(e.status >= 400)
    end)
  end)

  describe("users and organization", function()
    it("gives the current user, users, organization, memberships",
       function()
      local me = client:get_current_user()
      assert.equal(me.id, client:whoami().id)
      local org = client:get_organization()
      assert.equal(me.active_organization, org.id)
      assert.equal(org.id, client:get_organizations()[1].id)
      local found = false
      for _, u in ipairs(client:get_users()) do
        found = found or u.id == me.id
      end
      assert.is_true(found)
      assert.equal(me.email, client:get_user(me.id).email)
      local m = client:get_membership(me.id)
      assert.equal(me.id, m.user)
      assert.is_true(#client:get_memberships() >= 1)
      assert.is_true(#client:get_memberships(org.id) >= 1)
    end)

    it("creates a user, once, and updates it", function()
      local email = ("spec%d@example.invalid"):format(os.time())
      local u = client:create_user{email = email, first_name = "Ann"}
      assert.equal(email, u.email)
      assert.equal(email, u.username)
      assert.equal(u.id, client:create_user{email = email}.id)
      local e = catch(client.create_user, client, {email = email}, false)
      assert.equal(400, e.status)
      assert.equal("Bo", client:update_user(u.id, {first_name = "Bo"})
                           .first_name)
      local ids = {}
      for _, m in ipairs(client:get_memberships()) do
        ids[m.user.id or m.user] = true
      end
      assert.is_true(ids[u.id])
    end)
  end)

  describe("webhooks", function()
    local svc

    setup(function() svc = require("loopback_service").start() end)
    teardown(function() svc:stop() end)

    it("creates, lists, gets, updates and deletes webhooks", function()
      local p = new_project(client, "webhooks")
      local h = p:create_webhook(svc.url .. "/hook",
                                 {actions = {"TASKS_CREATED"}})
      assert.equal(p.id, h.project)
      assert.same({"TASKS_CREATED"}, h.actions)
      assert.equal(h.id, p:get_webhooks()[1].id)
      assert.equal(h.id, client:get_webhooks(p.id)[1].id)
      assert.equal(svc.url .. "/hook", client:get_webhook(h.id).url)
      local u = client:update_webhook(h.id, {is_active = false})
      assert.is_false(u.is_active)
      assert.is_table(client:get_webhook_actions().TASKS_CREATED)
      client:delete_webhook(h.id)
      assert.same({}, p:get_webhooks())
      assert.equal(404, catch(client.get_webhook, client, h.id).status)
    end)

    it("has the server deliver events to a loopback listener", function()
      local p = new_project(client, "webhook delivery")
      svc:clear()
      p:create_webhook{url = svc.url .. "/hook", send_payload = true,
                       actions = {"TASKS_CREATED", "ANNOTATION_CREATED"}}
      local ids = p:import_tasks(text_tasks(2))
      p:create_annotation(ids[1], {result = "Positive"})
      local got = svc:wait(function(r)
        return r.path == "/hook" and r.body.action == "ANNOTATION_CREATED"
      end)
      assert.equal(1, #got)
      assert.equal(ids[1], got[1].body.task.id)
      got = svc:wait(function(r)
        return r.path == "/hook" and r.body.action == "TASKS_CREATED"
      end)
      assert.equal(1, #got)
      assert.equal(2, #got[1].body.tasks)
    end)

    it("raises an ApiError for a webhook without a URL", function()
      local p = new_project(client, "webhook error")
      local e = catch(p.create_webhook, p, "not a url")
      assert.equal(400, e.status)
      assert.is_table(e.validation_errors)
    end)
  end)

  describe("ML backends", function()
    local svc

    setup(function() svc = require("loopback_service").start() end)
    teardown(function() svc:stop() end)

    it("connects, lists, gets, updates and deletes a backend", function()
      local p = new_project(client, "ml crud")
      svc:clear()
      local b = p:create_ml_backend(svc.url, {title = "loopback"})
      assert.equal("loopback", b.title)
      local paths = {}
      for _, r in ipairs(svc:log()) do paths[r.path] = true end
      assert.is_true(paths["/health"])
      assert.is_true(paths["/setup"])
      assert.equal(b.id, p:get_ml_backends()[1].id)
      assert.equal(svc.url, client:get_ml_backend(b.id).url)
      local u = client:update_ml_backend(b.id, {title = "renamed"})
      assert.equal("renamed", u.title)
      client:delete_ml_backend(b.id)
      assert.same({}, p:get_ml_backends())
    end)

    it("predicts tasks and trains through the backend", function()
      local p, ids = new_project(client, "ml predict", 3)
      local b = p:add_ml_backend{url = svc.url, title = "model"}
      svc:clear()
      local r = p:predict_tasks({ids[1], ids[2]})
      assert.is_table(r)
      -- list_predictions, not get_task: reading a task with a backend
      -- connected makes the server predict it
      assert.equal(1, #p:list_predictions(ids[2]))
      assert.same({}, p:list_predictions(ids[3]))
      local pred = p:list_predictions(ids[1])[1]
      assert.equal("Positive", pred.result[1].value.choices[1])
      assert.equal(1, #svc:wait(function(q) return q.path == "/predict" end))
      assert.same({processed_items = 0}, p:predict_tasks({}))
      p:create_annotation(ids[1], {result = "Negative"})
      svc:clear()
      client:train_ml_backend(b.id)
      local got = svc:wait(function(q)
        return q.path == "/train" or q.path == "/webhook"
      end)
      assert.equal(1, #got)
    end)

    it("raises an ApiError when the backend cannot be reached", function()
      local p = new_project(client, "ml down")
      local e = catch(p.create_ml_backend, p, srv.closed_url())
      assert.is_true(ls.errors.is(e))
      assert.equal(400, e.status)
    end)
  end)
end)
