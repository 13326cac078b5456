--- Calls only Label Studio Enterprise answers, with the Python names.
--
-- `Client`: `get_workspaces`, `get_workspace_by_title`. `Project`:
-- `get_members`, `add_member`, `assign_annotators`,
-- `assign_reviewers`, `delete_annotators_assignment`,
-- `delete_reviewers_assignment`, `assign_annotators_by_sampling`,
-- `assign_reviewers_by_sampling`, `connect_s3s_iam_import_storage`.
-- Python's `Workspace` methods and `User.set_role`, on `Client` since
-- workspaces and users are plain tables: `add_workspace_user`,
-- `remove_workspace_user`, `get_workspace_projects`, `set_user_role`.
-- `AssignmentSamplingMethod.RANDOM` names the one sampling method;
-- `UserRole` the roles `set_user_role` takes.
--
-- Each call first asks the server its edition (`/api/version`, once
-- per client). Against open-source Label Studio it raises, before
-- anything else is sent, an error saying the call needs Label Studio
-- Enterprise. That error is a misuse error (a string at the caller),
-- not an `ApiError`: the server was not asked to do the call.
--
-- Where lsrun differs from Python on purpose: an empty list of task
-- ids assigns or unassigns nothing and sends nothing (the server
-- reads an empty selection as "every task"); reviewers are assigned
-- in chunks of 1000 like annotators.
--
-- Caveats: Enterprise paths cannot be run against the open-source
-- test server; sampling is checked on recorded responses only.
--
-- @module labelstudio.enterprise

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local log = require "labelstudio.log"
local Client = require("labelstudio.client").Client
local Project = require("labelstudio.project").Project

local M = {}

--- How `assign_*_by_sampling` picks tasks.
M.AssignmentSamplingMethod = {RANDOM = "random"}

--- A user's role in the organization: Python's `UserRole`, name ->
-- the code the server stores.
M.UserRole = {
  ANNOTATOR = "AN", REVIEWER = "RE", MANAGER = "MA",
  ADMINISTRATOR = "AD", OWNER = "OW", NOT_ACTIVATED = "NO",
  DISABLED = "DI",
}

local ROLE_CODES = {}
for _, code in pairs(M.UserRole) do ROLE_CODES[code] = true end

local CHUNK = 1000

local ENTERPRISE_KEY = "label-studio-enterprise-backend"


--- True when the client's server is Label Studio Enterprise.
function M.is_enterprise(client)
  local v = client.versions or client:get_versions()
  return type(v) == "table" and v[ENTERPRISE_KEY] ~= nil
end


local function _need(client, call)
  if M.is_enterprise(client) then return end
  local v = client.versions or {}
  local edition = v.edition or (v.release and "Community " .. v.release)
  errors.usage(("%s needs Label Studio Enterprise; %s is %s"):format(call,
    client.url, "Label Studio " .. tostring(edition or "open source")))
end


local function _ids(list, what)
  errors.check(list, "table", what)
  local out = {}
  for i, v in ipairs(list) do
    if type(v) == "table" then v = v.id end
    out[i] = errors.check(v, "integer", ("%s[%d]"):format(what, i))
  end
  return out
end


-- -------------------------------------------------------- workspaces ---

--- Lists the organization's workspaces (Enterprise).
-- @treturn {table,...} each `{id, title, description, color,
--   is_personal, created_by}`
-- @raise a misuse error on open-source Label Studio
function Client:get_workspaces()
  _need(self, "get_workspaces")
  local _, data = self:_request("GET", "/api/workspaces")
  return data.results or data
end


--- The workspace with this title, or nil (Enterprise).
-- @tparam string title
function Client:get_workspace_by_title(title)
  title = args.one(title, "title")
  errors.check(title, "string", "title")
  _need(self, "get_workspace_by_title")
  for _, w in ipairs(self:get_workspaces()) do
    if w.title == title then return w end
  end
end


-- The parameters of the workspace membership calls, for the form by
-- name.
local WORKSPACE_USER_ARGS = {"workspace", "user", what = "workspace user",
                             object_first = true}


local function _id(v, what)
  if type(v) == "table" then v = v.id end
  return errors.check(v, "integer", what)
end


--- Adds a user to a workspace (Python's `Workspace.add_user`).
-- @tparam integer|table workspace a workspace id or table
-- @tparam integer|table user a user id or table
-- @raise a misuse error on open-source Label Studio
function Client:add_workspace_user(workspace, user)
  workspace, user = args.named(WORKSPACE_USER_ARGS, workspace, user)
  local w, u = _id(workspace, "workspace"), _id(user, "user")
  _need(self, "add_workspace_user")
  local _, data = self:_request("POST",
    ("/api/workspaces/%d/memberships"):format(w),
    {json = {user = u}, idempotent = false})
  return data
end


--- Removes a user from a workspace (Python's `Workspace.remove_user`).
-- @tparam integer|table workspace
-- @tparam integer|table user
function Client:remove_workspace_user(workspace, user)
  workspace, user = args.named(WORKSPACE_USER_ARGS, workspace, user)
  local w, u = _id(workspace, "workspace"), _id(user, "user")
  _need(self, "remove_workspace_user")
  local _, data = self:_request("DELETE",
    ("/api/workspaces/%d/memberships"):format(w), {json = {user = u}})
  return data
end


--- The projects of a workspace (Python's `Workspace.get_projects`).
-- @tparam integer|table workspace
-- @treturn {Project,...}
function Client:get_workspace_projects(workspace)
  local w = _id(args.one(workspace, "workspace"), "workspace")
  _need(self, "get_workspace_projects")
  local _, data = self:_request("GET",
    ("/api/workspaces/%d/projects"):format(w))
  local out = {}
  local new = require("labelstudio.project").new
  for i, p in ipairs(data.results or data) do out[i] = new(self, p) end
  return out
end


--- Sets a user's role in the organization (Python's `User.set_role`).
-- @tparam integer|table user
-- @tparam string role a code of `UserRole` (`UserRole.ANNOTATOR`,
--   that is `"AN"`) or its name (`"ANNOTATOR"`)
-- @raise a misuse error for a role that is neither
function Client:set_user_role(user, role)
  user, role = args.named({"user", "role", what = "set_user_role",
                           object_first = true}, user, role)
  local u = _id(user, "user")
  errors.check(role, "string", "role")
  role = M.UserRole[role] or role
  if not ROLE_CODES[role] then
    errors.usage("unknown role '" .. role .. "': a name or code of"
                 .. " UserRole (ANNOTATOR or AN, REVIEWER or RE, ...)")
  end
  _need(self, "set_user_role")
  local org = self:get_organization().id
  local _, data = self:_request("PATCH",
    ("/api/organizations/%d/memberships"):format(org),
    {json = {user_id = u, role = role}})
  return data
end


-- ----------------------------------------------------------- members ---

local function _path(self, fmt, ...)
  return ("/api/projects/%d" .. fmt):format(self.id, ...)
end


--- The project's members (Enterprise).
-- @treturn {table,...}
function Project:get_members()
  _need(self.client, "get_members")
  local _, data = self.client:_request("GET", _path(self, "/members"))
  return data
end


--- Adds a user to the project (Enterprise).
-- @tparam integer|table user a user id or a user table
function Project:add_member(user)
  user = args.one(user, "user")
  if type(user) == "table" then user = user.id end
  errors.check(user, "integer", "user")
  _need(self.client, "add_member")
  local _, data = self.client:_request("POST", _path(self, "/members"), {
    json = {user = user}, idempotent = false,
  })
  return data
end


-- -------------------------------------------------------- assignment ---

local function _assign(self, call, kind, users, tasks_ids)
  local u, t = _ids(users, "users"), _ids(tasks_ids, "tasks_ids")
  _need(self.client, call)
  local total = {assignments = 0}
  for i = 1, #t, CHUNK do
    local chunk = table.move(t, i, math.min(#t, i + CHUNK - 1), 1, {})
    local _, data = self.client:_request("POST",
      _path(self, "/tasks/assignees"), {
        json = {users = u, type = kind,
                selectedItems = {all = false, included = chunk}},
        idempotent = false,
      })
    total.assignments = total.assignments + ((data or {}).assignments or 0)
  end
  return total
end


--- Assigns annotators to tasks (Enterprise).
-- @tparam {integer,...} users user ids (or user tables)
-- @tparam {integer,...} tasks_ids
-- @treturn table `{assignments = n}` summed over chunks of 1000
function Project:assign_annotators(users, tasks_ids)
  return _assign(self, "assign_annotators", "AN", users, tasks_ids)
end


--- Assigns reviewers to tasks (Enterprise); as `assign_annotators`.
function Project:assign_reviewers(users, tasks_ids)
  return _assign(self, "assign_reviewers", "RE", users, tasks_ids)
end


local function _unassign(self, call, action, tasks_ids)
  local t = _ids(tasks_ids, "tasks_ids")
  _need(self.client, call)
  if #t == 0 then return {processed_items = 0} end
  local _, data = self.client:_request("POST", "/api/dm/actions/", {
    query = {id = action, project = self.id},
    json = {selectedItems = {all = false, included = t}},
    idempotent = false,
  })
  return data
end


--- Removes the annotator assignments of tasks (Enterprise).
-- @tparam {integer,...} tasks_ids not empty to do anything
function Project:delete_annotators_assignment(tasks_ids)
  return _unassign(self, "delete_annotators_assignment",
                   "delete_annotators", tasks_ids)
end


--- Removes the reviewer assignments of tasks (Enterprise).
function Project:delete_reviewers_assignment(tasks_ids)
  return _unassign(self, "delete_reviewers_assignment",
                   "delete_reviewers", tasks_ids)
end


--- Picks `fraction` of the ids at random, each `overlap` times, and
-- deals them out to the users in turn: `{[user] = {ids...}}`.
function M.sample(users, ids, fraction, overlap)
  local pool = table.move(ids, 1, #ids, 1, {})
  for i = #pool, 2, -1 do
    local j = math.random(i)
    pool[i], pool[j] = pool[j], pool[i]
  end
  local n = math.floor(#pool * fraction + 0.5)
  local plan, k = {}, 0
  for _, u in ipairs(users) do plan[u] = {} end
  for i = 1, n do
    for _ = 1, overlap do
      local u = users[k % #users + 1]
      k = k + 1
      local list = plan[u]
      list[#list + 1] = pool[i]
    end
  end
  return plan
end


local SAMPLING_ARGS = {"users", "view_id", "method", "fraction", "overlap"}


local function _by_sampling(self, call, kind, users, view_id, method,
                            fraction, overlap)
  if type(users) == "table" and users.users then
    local o = args.options(users, SAMPLING_ARGS, call)
    users, view_id, method = o.users, o.view_id, o.method
    fraction, overlap = o.fraction, o.overlap
  end
  local u = _ids(users, "users")
  fraction = errors.check(fraction or 1.0, "number", "fraction")
  overlap = errors.check(overlap or 1, "integer", "overlap")
  method = method or M.AssignmentSamplingMethod.RANDOM
  if method ~= M.AssignmentSamplingMethod.RANDOM then
    errors.usage("method must be AssignmentSamplingMethod.RANDOM")
  end
  if #u == 0 then errors.usage("users is empty") end
  _need(self.client, call)
  local ids = self:get_tasks_ids{view_id = view_id}
  local plan, total = M.sample(u, ids, fraction, math.min(overlap, #u)),
    {assignments = 0}
  for _, user in ipairs(u) do
    if #plan[user] > 0 then
      local r = _assign(self, call, kind, {user}, plan[user])
      total.assignments = total.assignments + r.assignments
    end
  end
  log.debug("%s: %d tasks over %d users", call, #ids, #u)
  return total
end


--- Assigns annotators to a random sample of a view's tasks
-- (Enterprise).
-- @tparam {integer,...} users
-- @tparam[opt] integer view_id the view (default: every task)
-- @tparam[opt] string method `AssignmentSamplingMethod.RANDOM`
-- @tparam[opt=1.0] number fraction of the tasks to assign
-- @tparam[opt=1] integer overlap annotators per task
function Project:assign_annotators_by_sampling(...)
  return _by_sampling(self, "assign_annotators_by_sampling", "AN", ...)
end


--- As `assign_annotators_by_sampling`, for reviewers (Enterprise).
function Project:assign_reviewers_by_sampling(...)
  return _by_sampling(self, "assign_reviewers_by_sampling", "RE", ...)
end


-- ----------------------------------------------------------- storage ---

local S3S_ARGS = {
  "role_arn", "external_id", "bucket", "prefix", "regex_filter",
  "use_blob_urls", "presign", "presign_ttl", "title", "description",
  "region_name", "s3_endpoint", "recursive_scan", "aws_sse_kms_key_id",
}


--- Connects an S3 bucket through an IAM role (Enterprise).
-- Python's parameters, positionally or by name; `external_id`
-- defaults to the organization's.
-- @treturn table the storage
function Project:connect_s3s_iam_import_storage(...)
  local first = ...
  local o = {}
  if type(first) == "table" then
    args.check_keys(first, S3S_ARGS, "connect_s3s_iam_import_storage",
                    "parameter")
    o = args.copy(first)
  else
    local a = table.pack(...)
    for i, name in ipairs(S3S_ARGS) do o[name] = a[i] end
  end
  errors.check(o.role_arn, "string", "role_arn")
  _need(self.client, "connect_s3s_iam_import_storage")
  if o.external_id == nil then
    local _, me = self.client:_request("GET", "/api/current-user/whoami")
    local _, org = self.client:_request("GET", ("/api/organizations/%d")
      :format(me.active_organization))
    o.external_id = org.external_id
  end
  o.project = self.id
  if o.use_blob_urls == nil then o.use_blob_urls = true end
  if o.presign == nil then o.presign = true end
  o.presign_ttl = o.presign_ttl or 1
  local _, data = self.client:_request("POST", "/api/storages/s3s/", {
    json = o, idempotent = false,
  })
  return data
end

return M
