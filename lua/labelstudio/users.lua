--- Users, the current user and the organization.
--
-- Installs on `Client`: `get_users`, `get_user`, `create_user`,
-- `update_user`, `get_current_user` (also `whoami`),
-- `get_organizations`, `get_organization`, `get_memberships`,
-- `get_membership`, `delete_membership`.
--
-- Caveats: open-source Label Studio has one organization per server
-- and no workspaces or roles; memberships are listed, read and
-- removed, not edited.
--
-- @module labelstudio.users

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local json = require "labelstudio.json"
local Client = require("labelstudio.client").Client

local M = {}

local PAGE_SIZE = 100

-- A user's fields: what `create_user` and `update_user` send, and the
-- ones the server answers with (so that a user's JSON can be sent
-- back as it came; the server ignores those it does not change).
local USER_FIELDS = {
  "email", "username", "first_name", "last_name", "password", "phone",
  "allow_newsletters", "avatar", "custom_hotkeys", "id", "last_activity",
  "initials", "active_organization", "active_organization_meta",
  "org_membership", "date_joined", "permissions",
}

-- The fields of a user's JSON the server sets itself (Label Studio
-- 1.23's GET, list and whoami): `update_user` leaves them out. The
-- server refuses `email` (405, read-only) and a blank `username`,
-- which the first user of a server has.
local READ_ONLY = {
  id = true, email = true, last_activity = true, initials = true,
  active_organization_meta = true, date_joined = true, permissions = true,
}

-- `create_user` also takes `exist_ok` in the table.
local CREATE_USER_KEYS = {exist_ok = true}
for _, k in ipairs(USER_FIELDS) do CREATE_USER_KEYS[k] = true end


--- The members of the organization.
-- @treturn {table,...} users: `id, email, username, first_name, ...`
function Client:get_users()
  local _, data = self:_request("GET", "/api/users/")
  return data
end


--- Gets one user.
-- @tparam integer user_id
function Client:get_user(user_id)
  local _, data = self:_request("GET", ("/api/users/%d/"):format(
    args.id(user_id, "user_id")))
  return data
end


local function _find_by_email(self, email)
  for _, u in ipairs(self:get_users()) do
    if type(u.email) == "string" and u.email:lower() == email:lower() then
      return u
    end
  end
end


--- Creates a user in the caller's organization.
-- @tparam table user `email` (required), `username` (default: the
--   e-mail), `first_name`, `last_name`, `password`, ...
-- @tparam[opt] boolean exist_ok when true (the default) a user with
--   that e-mail already there is returned instead of an error
-- @treturn table the user JSON
-- @raise a misuse error for a key that is not a user field
-- @usage client:create_user{email = "ann@example.invalid"}
function Client:create_user(user, exist_ok)
  errors.check(user, "table", "user")
  args.check_keys(user, CREATE_USER_KEYS, "create_user", "user field")
  if exist_ok == nil and user.exist_ok ~= nil then
    exist_ok = user.exist_ok
  end
  local body = args.copy(user, {exist_ok = true})
  errors.check(body.email, "string", "user.email")
  body.username = body.username or body.email
  if exist_ok ~= false then
    local found = _find_by_email(self, body.email)
    if found then return found end
  end
  local _, data = self:_request("POST", "/api/users/", {
    json = body, idempotent = false,
  })
  return data
end


--- Changes a user's fields (not `email`, which the server keeps).
-- A user's JSON can be sent back as it came: the fields the server
-- sets itself (`id`, `email`, `permissions`, `date_joined`, ...) and a
-- blank `username` are left out.
-- @tparam integer user_id
-- @tparam table fields e.g. `{first_name = "Ann"}`
function Client:update_user(user_id, fields)
  user_id, fields = args.split(user_id, fields, "user_id")
  errors.check(fields, "table", "the fields to change")
  args.check_keys(fields, USER_FIELDS, "update_user", "user field")
  local body = args.copy(fields, READ_ONLY)
  if body.username == "" then body.username = nil end
  local _, data = self:_request("PATCH", ("/api/users/%d/"):format(
    args.id(user_id, "user_id")), {json = body})
  return data
end


--- The user the API key belongs to.
-- @treturn table `id, email, username, active_organization, ...`
function Client:get_current_user()
  local _, data = self:_request("GET", "/api/current-user/whoami")
  return data
end

--- Same as `get_current_user`.
Client.whoami = Client.get_current_user


--- The organizations the user belongs to.
function Client:get_organizations()
  local _, data = self:_request("GET", "/api/organizations/")
  return data
end


local function _org_id(self, organization_id)
  if organization_id == nil then
    return self:get_current_user().active_organization
  end
  return args.id(organization_id, "organization_id")
end


--- Gets an organization.
-- @tparam[opt] integer organization_id default: the current user's
function Client:get_organization(organization_id)
  local _, data = self:_request("GET", ("/api/organizations/%d"):format(
    _org_id(self, organization_id)))
  return data
end


--- The organization's memberships, all pages.
-- @tparam[opt] integer organization_id default: the current user's
-- @treturn {table,...} each `{user = {...}, organization = id, ...}`
function Client:get_memberships(organization_id)
  local path = ("/api/organizations/%d/memberships"):format(
    _org_id(self, organization_id))
  local out, page = {}, 1
  while true do
    local _, data = self:_request("GET", path, {
      query = {page = page, page_size = PAGE_SIZE},
    })
    local results = data.results or data
    for _, m in ipairs(results) do out[#out + 1] = m end
    if #results < PAGE_SIZE or data.next == nil or data.next == json.null
       or (data.count and #out >= data.count) then
      return out
    end
    page = page + 1
  end
end


-- The parameters of the membership calls, for the form by name.
local MEMBERSHIP_ARGS = {"user_id", "organization_id", what = "membership"}


local function _membership_path(self, user_id, organization_id)
  return ("/api/organizations/%d/memberships/%d/"):format(
    _org_id(self, organization_id), args.id(user_id, "user_id"))
end


--- One user's membership.
-- @tparam integer user_id
-- @tparam[opt] integer organization_id default: the current user's
function Client:get_membership(user_id, organization_id)
  user_id, organization_id = args.named(MEMBERSHIP_ARGS, user_id,
                                        organization_id)
  local _, data = self:_request("GET", _membership_path(self, user_id,
                                                        organization_id))
  return data
end


--- Removes a user from the organization.
-- @tparam integer user_id
-- @tparam[opt] integer organization_id default: the current user's
function Client:delete_membership(user_id, organization_id)
  user_id, organization_id = args.named(MEMBERSHIP_ARGS, user_id,
                                        organization_id)
  self:_request("DELETE", _membership_path(self, user_id, organization_id))
end

return M
