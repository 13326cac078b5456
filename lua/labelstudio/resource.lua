--- One kind of object the server keeps by id: its path, and getting,
-- changing and deleting one by id.
--
-- Every by-id method of the SDK sends the same requests: the path of
-- the object from its id, checked by `args.id` (so a missing or wrong
-- id is a misuse error at the caller), then `client:_request`.
--
-- @module labelstudio.resource

local args = require "labelstudio.args"

local M = {}

local Resource = {}
Resource.__index = Resource


--- A kind of object.
-- @tparam string base the collection's path, such as `"/api/webhooks/"`
-- @tparam string what the id's parameter name, for misuse messages
-- @tparam[opt="/"] string tail what follows the id in an object's path
-- @usage local webhooks = resource.new("/api/webhooks/", "webhook_id")
function M.new(base, what, tail)
  return setmetatable({base = base, what = what, tail = tail or "/"},
                      Resource)
end


--- The path of one object.
-- @param id an integer, or a table holding one in `id`
-- @tparam[opt] string suffix what follows the id instead of the tail
-- @raise a misuse error for a missing or wrong id
function Resource:path(id, suffix)
  return self.base .. args.id(id, self.what) .. (suffix or self.tail)
end


--- Gets one object.
-- @tparam Client client
-- @param id as for `path`
-- @treturn table the object's JSON
function Resource:get(client, id)
  local _, data = client:_request("GET", self:path(id))
  return data
end


--- Changes one object's fields (a PATCH).
-- @tparam Client client
-- @param id as for `path`
-- @tparam table body the JSON to send
-- @treturn table the object's JSON after the change
function Resource:update(client, id, body)
  local _, data = client:_request("PATCH", self:path(id), {json = body})
  return data
end


--- Deletes one object.
-- @tparam Client client
-- @param id as for `path`
function Resource:delete(client, id)
  client:_request("DELETE", self:path(id))
end

return M
