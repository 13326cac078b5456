-- Enterprise-only calls (labelstudio.enterprise): against the real
-- open-source server each raises an error saying it needs Label
-- Studio Enterprise. What they send to an Enterprise server is checked
-- on recorded responses served on 127.0.0.1 (recorded.py), DESIGN.md
-- decision 5's exception, marked below.

local ls = require "labelstudio"
local Project = require "labelstudio.project"
local srv = require "ls_server"
local recorded = require "recorded"
local json = require "labelstudio.json"

local CALLS = {
  {"client", "get_workspaces"},
  {"client", "get_workspace_by_title", "Main"},
  {"project", "get_members"},
  {"project", "add_member", 1},
  {"project", "assign_annotators", {1}, {1}},
  {"project", "assign_reviewers", {1}, {1}},
  {"project", "delete_annotators_assignment", {1}},
  {"project", "delete_reviewers_assignment", {1}},
  {"project", "assign_annotators_by_sampling", {1}},
  {"project", "assign_reviewers_by_sampling", {1}},
  {"project", "connect_s3s_iam_import_storage",
   "arn:aws:iam::1:role/x"},
}


describe("labelstudio.enterprise #integration", function()
  local client, project

  setup(function()
    client = srv.client()
    project = srv.project(client, "enterprise")
  end)
  teardown(srv.project_cleanup)

  for _, call in ipairs(CALLS) do
    local on, name = call[1], call[2]
    it(name .. " says it needs Label Studio Enterprise", function()
      local obj = on == "client" and client or project
      local ok, err = pcall(obj[name], obj, table.unpack(call, 3))
      assert.is_false(ok)
      assert.matches(name .. " needs Label Studio Enterprise", err, 1, true)
      assert.matches("enterprise_spec.lua:%d+", err)
    end)
  end

  -- Recorded responses on loopback (DESIGN.md decision 5).
  describe("on an Enterprise server", function()
    local rec, p

    before_each(function()
      rec = recorded.start{
        ["GET /api/version"] = {{status = 200, body = {
          ["label-studio-enterprise-backend"] = {version = "2.0"}}}},
        ["GET /api/workspaces"] = {{status = 200, body = {
          {id = 1, title = "Main"}, {id = 2, title = "Other"}}}},
        ["POST /api/projects/7/tasks/assignees"] = {{status = 201,
          body = {assignments = 2}}},
        ["GET /api/tasks/"] = {{status = 200, body = {total = 4,
          tasks = {{id = 1}, {id = 2}, {id = 3}, {id = 4}}}}},
        ["GET /api/current-user/whoami"] = {{status = 200, body = {
          id = 1, active_organization = 3}}},
        ["GET /api/organizations/3"] = {{status = 200, body = {id = 3}}},
        ["PATCH /api/organizations/3/memberships"] = {{status = 200,
          body = {user_id = 5, role = "RE"}}},
      }
      local c = ls.Client{url = rec.url, api_key = srv.key, retries = 0}
      p = Project.new(c, {id = 7})
    end)

    after_each(function() rec:stop() end)

    local function sent(method_path)
      local out = {}
      for _, r in ipairs(rec:requests()) do
        if r.method .. " " .. r.path == method_path then
          out[#out + 1] = json.decode(r.body)
        end
      end
      return out
    end

    it("finds a workspace by title", function()
      assert.equal(2, p.client:get_workspace_by_title("Other").id)
    end)

    it("assigns annotators in chunks of 1000", function()
      local ids = {}
      for i = 1, 1500 do ids[i] = i end
      local r = p:assign_annotators({5}, ids)
      assert.equal(4, r.assignments)
      local bodies = sent("POST /api/projects/7/tasks/assignees")
      assert.equal(2, #bodies)
      assert.equal(1000, #bodies[1].selectedItems.included)
      assert.equal("AN", bodies[2].type)
    end)

    it("sends a role's code, given its name or the code", function()
      local UserRole = require("labelstudio.enterprise").UserRole
      p.client:set_user_role({id = 5}, "REVIEWER")
      p.client:set_user_role(5, UserRole.MANAGER)
      local bodies = sent("PATCH /api/organizations/3/memberships")
      assert.same({{user_id = 5, role = "RE"}, {user_id = 5, role = "MA"}},
                  bodies)
      local ok, err = pcall(p.client.set_user_role, p.client, 5, "boss")
      assert.is_false(ok)
      assert.matches("enterprise_spec.lua:%d+: unknown role 'boss'", err)
      assert.equal(2, #sent("PATCH /api/organizations/3/memberships"))
    end)

    it("sends nothing to unassign an empty list of tasks", function()
      assert.equal(0, p:delete_reviewers_assignment({}).processed_items)
      assert.equal(0, #sent("POST /api/dm/actions/"))
    end)

    it("deals a sample of the tasks out to the reviewers", function()
      p:assign_reviewers_by_sampling({5, 6}, nil, nil, 0.5)
      local bodies = sent("POST /api/projects/7/tasks/assignees")
      assert.equal(2, #bodies)
      assert.equal("RE", bodies[1].type)
      assert.equal(1, #bodies[1].selectedItems.included)
    end)
  end)
end)
