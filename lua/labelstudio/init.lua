--- The Label Studio SDK for lsrun: `require "labelstudio"`.
--
--     local ls = require "labelstudio"
--     local client = ls.Client{url = os.getenv("LABEL_STUDIO_URL"),
--                              api_key = os.getenv("LABEL_STUDIO_API_KEY")}
--     client:check_connection()
--     local project = client:start_project{title = "Pets",
--                                          label_config = xml}
--
-- Names follow the Python SDK (`label_studio_sdk`): `Client`,
-- `Project`, `ProjectSampling`, and `data_manager` with `Filters`,
-- `Column`, `Operator`, `Type`. Errors are `errors.ApiError` objects.
--
-- @module labelstudio

local client = require "labelstudio.client"
local project = require "labelstudio.project"
require "labelstudio.tasks"
require "labelstudio.actions"
require "labelstudio.annotations"
require "labelstudio.views"
require "labelstudio.users"
require "labelstudio.webhooks"
require "labelstudio.ml"
require "labelstudio.snapshots"
require "labelstudio.data_import"
require "labelstudio.enterprise"
require "labelstudio.storage_admin"
require "labelstudio.login"
require "labelstudio.files"

local M = {}

--- Connects to a server; see `labelstudio.client.new`.
M.Client = client.new

--- Values of a project's `sampling`.
M.ProjectSampling = project.ProjectSampling

--- Error helpers: `errors.is(e)` tells an `ApiError`.
M.errors = require "labelstudio.errors"

--- Filters, Column, Operator, Type.
M.data_manager = require "labelstudio.data_manager"

--- The SDK's logger.
M.log = require "labelstudio.log"

return M
