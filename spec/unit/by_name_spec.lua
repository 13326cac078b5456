-- Every public method whose first parameter is not itself a table
-- takes all of its arguments by name in one table (DESIGN.md decision
-- 1). Each call goes to a closed port: a call that read its arguments
-- fails with a transport error, one that refused them with a misuse
-- error (a string), so no server is needed.

local ls = require "labelstudio"
local errors = require "labelstudio.errors"
local Project = require "labelstudio.project"

local KEY = "0123456789abcdef0123456789abcdef01234567"

local CONFIG = [[
<View>
  <Image name="image" value="$image"/>
  <Choices name="pet" toName="image">
    <Choice value="Dog"/><Choice value="Cat"/>
  </Choices>
</View>]]

local S3 = {storage_type = "s3", storage_id = 1}


local function _with(t, extra)
  local out = {}
  for k, v in pairs(t) do out[k] = v end
  for k, v in pairs(extra or {}) do out[k] = v end
  return out
end


-- The Client's methods: name, the one table.
local CLIENT = {
  {"make_request", {method = "GET", path = "/api/projects/"}},
  {"get_project", {id = 1}},
  {"delete_project", {project_id = 1}},
  {"sync_storage", S3},
  {"get_user", {user_id = 1}},
  {"update_user", {user_id = 1, first_name = "Ann"}},
  {"get_organization", {organization_id = 1}},
  {"get_memberships", {organization_id = 1}},
  {"get_membership", {user_id = 1, organization_id = 1}},
  {"delete_membership", {user_id = 1, organization_id = 1}},
  {"get_webhooks", {project_id = 1}},
  {"get_webhook", {webhook_id = 1}},
  {"update_webhook", {webhook_id = 1, url = "http://127.0.0.1:9/"}},
  {"delete_webhook", {webhook_id = 1}},
  {"get_ml_backend", {ml_backend_id = 1}},
  {"update_ml_backend", {ml_backend_id = 1, url = "http://127.0.0.1:9"}},
  {"delete_ml_backend", {ml_backend_id = 1}},
  {"train_ml_backend", {ml_backend_id = 1}},
  {"get_ml_backend_versions", {ml_backend_id = 1}},
  {"get_workspace_by_title", {title = "W"}},
  {"add_workspace_user", {workspace = 1, user = 1}},
  {"remove_workspace_user", {workspace = 1, user = 1}},
  {"get_workspace_projects", {workspace = 1}},
  {"set_user_role", {user = 1, role = "AN"}},
}

-- The Project's methods.
local PROJECT = {
  {"run_action", {action_id = "delete_tasks", selection = {1}}},
  {"delete_tasks", {task_ids = {1}}},
  -- A selection is the first argument itself, not arguments by name.
  {"delete_tasks", {all = true, excluded = {2}}},
  {"delete_tasks_predictions", {included = {1, 2}}},
  {"delete_tasks_predictions", {task_ids = {1}}},
  {"delete_tasks_annotations", {task_ids = {1}}},
  {"retrieve_tasks_predictions", {task_ids = {1}}},
  {"remove_duplicates", {task_ids = {1}}},
  {"predictions_to_annotations", {task_ids = {1}}},
  {"delete_all_tasks", {excluded_ids = {1}}},
  {"create_annotations_from_predictions", {model_versions = {"v1"}}},
  {"list_predictions", {task_id = 1}},
  {"get_prediction", {prediction_id = 1}},
  {"update_prediction", {prediction_id = 1, score = 0.5}},
  {"delete_prediction", {prediction_id = 1}},
  {"list_annotations", {task_id = 1}},
  {"get_annotation", {annotation_id = 1}},
  {"update_annotation", {annotation_id = 1, ground_truth = true}},
  {"delete_annotation", {annotation_id = 1}},
  {"create_ml_backend", {url = "http://127.0.0.1:9"}},
  {"add_ml_backend", {url = "http://127.0.0.1:9"}},
  {"predict_tasks", {task_ids = {1}}},
  {"set_sampling", {sampling = "Uniform sampling"}},
  {"set_published", {is_published = true}},
  {"set_model_version", {model_version = "v1"}},
  {"get_task", {task_id = 1}},
  {"update_task", {task_id = 1, data = {image = "a"}}},
  {"delete_task", {task_id = 1}},
  {"get_labeled_tasks", {only_ids = true}},
  {"get_unlabeled_tasks", {only_ids = true}},
  {"create_prediction", {task_id = 1, result = "Dog"}},
  {"create_annotation", {task_id = 1, result = "Dog"}},
  {"export_snapshot_create", {title = "T"}},
  {"export_snapshot_status", {export_id = 1}},
  {"export_snapshot_convert", {export_id = 1, export_type = "CSV"}},
  {"export_snapshot_wait", {export_id = 1}},
  {"export_snapshot_download", {export_id = 1, path = "/tmp"}},
  {"export_snapshot_delete", {export_id = 1}},
  {"export", {title = "W", serialization_options_predictions = false}},
  {"export_tasks", {export_type = "JSON"}},
  {"sync_import_storage", S3},
  {"sync_export_storage", S3},
  {"list_import_storages", {storage_type = "s3"}},
  {"list_export_storages", {storage_type = "s3"}},
  {"get_import_storage", S3},
  {"get_export_storage", S3},
  {"update_import_storage", _with(S3, {fields = {title = "T"}})},
  {"update_export_storage", _with(S3, {fields = {title = "T"}})},
  {"delete_import_storage", S3},
  {"delete_export_storage", S3},
  {"validate_import_storage", {storage_type = "s3", fields = {}}},
  {"validate_export_storage", {storage_type = "s3", fields = {}}},
  {"sync_import_storage_wait", S3},
  {"sync_export_storage_wait", S3},
  {"get_view", {view_id = 1}},
  {"update_view", {view_id = 1, data = {title = "V"}}},
  {"delete_view", {view_id = 1}},
  {"validate_label_config", {label_config = CONFIG}},
  {"create_webhook", {url = "http://127.0.0.1:9/"}},
  {"add_member", {user = 1}},
  {"connect_s3_import_storage", {bucket = "b"}},
}


local function _client()
  return ls.Client{url = "http://127.0.0.1:1", api_key = KEY, retries = 0}
end


--- True when `fn` failed on the closed port, not on its arguments.
local function _transport(fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then return false, "no error" end
  if type(err) ~= "table" or not errors.is(err) then
    return false, tostring(err)
  end
  return err.status == nil, tostring(err)
end


describe("labelstudio methods by name", function()
  for _, case in ipairs(CLIENT) do
    it("Client:" .. case[1] .. " reads one table of arguments", function()
      local c = _client()
      local ok, msg = _transport(c[case[1]], c, _with(case[2]))
      assert.is_true(ok, msg)
    end)
  end

  for _, case in ipairs(PROJECT) do
    it("Project:" .. case[1] .. " reads one table of arguments", function()
      local p = Project.new(_client(), {id = 1, label_config = CONFIG})
      local ok, msg = _transport(p[case[1]], p, _with(case[2]))
      assert.is_true(ok, msg)
    end)
  end
end)
