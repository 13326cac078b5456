--- Webhooks: the server POSTs an event to a URL of yours.
--
-- Installs on `Project`: `create_webhook`, `get_webhooks`; on
-- `Client`: `get_webhooks`, `get_webhook`, `update_webhook`,
-- `delete_webhook`, `get_webhook_actions`.
--
-- Caveats: the open-source server needs a project for every webhook,
-- and delivers each event inside the request that caused it, waiting
-- at most 1 s for the receiver.
--
-- @module labelstudio.webhooks

local args = require "labelstudio.args"
local errors = require "labelstudio.errors"
local json = require "labelstudio.json"
local resource = require "labelstudio.resource"
local Client = require("labelstudio.client").Client
local Project = require("labelstudio.project").Project

local M = {}

local PATH = "/api/webhooks/"
local WEBHOOKS = resource.new(PATH, "webhook_id")

-- A webhook's fields, as `create_webhook` takes them besides `url` ...
local CREATE_OPTIONS = {"send_payload", "send_for_all_actions", "actions",
                        "headers", "is_active"}

-- ... and as `update_webhook` changes them.
local UPDATE_FIELDS = {"url", "send_payload", "send_for_all_actions",
                       "actions", "headers", "is_active", "project",
                       "id", "organization", "created_at", "updated_at"}

-- The fields of a webhook's JSON the server sets itself (Label Studio
-- 1.23's GET and list): `update_webhook` takes them, so that a
-- webhook's JSON can be sent back as it came, and leaves them out.
local READ_ONLY = {id = true, organization = true, created_at = true,
                   updated_at = true}


--- Creates a webhook on the project.
-- @tparam string url where the server sends events
-- @tparam[opt] table opts `send_payload` (default true),
--   `send_for_all_actions` (true), `actions` (a list such as
--   `{"ANNOTATION_CREATED"}`), `headers` (a table), `is_active` (true)
-- @treturn table the webhook JSON, with its `id`
-- @raise a misuse error for an unknown option, before anything is sent
-- @usage project:create_webhook("http://127.0.0.1:9000/hook",
--                               {actions = {"TASKS_CREATED"}})
function Project:create_webhook(url, opts)
  url, opts = args.split(url, opts, "url")
  errors.check(url, "string", "url")
  local body = args.copy(args.options(opts, CREATE_OPTIONS,
                                      "create_webhook"))
  body.url, body.project = url, self.id
  if body.actions ~= nil then
    body.actions = json.array(args.copy(body.actions))
    if body.send_for_all_actions == nil then
      body.send_for_all_actions = false
    end
  end
  local _, data = self.client:_request("POST", PATH, {
    json = body, idempotent = false,
  })
  return data
end


--- The project's webhooks.
function Project:get_webhooks()
  return self.client:get_webhooks(self.id)
end


--- Webhooks, all or one project's.
-- @tparam[opt] integer project_id
function Client:get_webhooks(project_id)
  local query
  if project_id ~= nil then
    query = {project = args.id(project_id, "project_id")}
  end
  local _, data = self:_request("GET", PATH, {query = query})
  return data
end


--- Gets one webhook.
-- @tparam integer webhook_id
function Client:get_webhook(webhook_id)
  return WEBHOOKS:get(self, webhook_id)
end


--- Changes a webhook's fields (`url`, `actions`, `is_active`, ...).
-- @tparam integer webhook_id
-- @tparam table fields
-- @raise a misuse error for a key that is not a webhook field; the
--   read-only ones (`id`, `created_at`, ...) are taken and not sent
function Client:update_webhook(webhook_id, fields)
  webhook_id, fields = args.split(webhook_id, fields, "webhook_id")
  errors.check(fields, "table", "the fields to change")
  args.check_keys(fields, UPDATE_FIELDS, "update_webhook", "field")
  local body = args.copy(fields, READ_ONLY)
  if body.actions ~= nil then
    body.actions = json.array(args.copy(body.actions))
  end
  return WEBHOOKS:update(self, webhook_id, body)
end


--- Deletes one webhook.
-- @tparam integer webhook_id
function Client:delete_webhook(webhook_id)
  WEBHOOKS:delete(self, webhook_id)
end


--- The events a webhook can be sent for, with their descriptions.
function Client:get_webhook_actions()
  local _, data = self:_request("GET", PATH .. "info/")
  return data
end

return M
