--- Exact JSON for the SDK: the native codec `lsrun.json` (src/ljson.c).
--
-- Data keeps its shape through decode and encode: integers stay Lua
-- integers (every 64-bit value exact; wider ones become floats), floats
-- come back bit for bit and stay floats (`1.0` is written `1.0`), `[]`
-- and `{}` stay apart, and `null` decodes to `json.null`.
--
-- Policies (see the Caveats block of src/ljson.c):
--
-- * an unmarked empty table encodes as `{}`; use `json.array()` for `[]`;
-- * a table with holes, or mixing string and integer keys, is an error;
-- * `\ud800` and other lone surrogate escapes decode to their 3-byte
--   generalized UTF-8 form, which encode writes back as the escape;
-- * NaN and infinities cannot be encoded; `NaN`/`Infinity` do not decode;
-- * nesting deeper than 1000 levels is an error both ways;
-- * encode errors name the key path with Lua's 1-based indices
--   (`$.data.items[1]`); decode errors give the byte offset, line and
--   column.
-- @module labelstudio.json

local native = require("lsrun.json")

local M = {}

--- The value `null` decodes to and that encodes as `null` (the same
-- light userdata as `cjson.null`).
M.null = native.null

--- Metatable shared by decoded arrays and by `json.array` tables.
M.array_mt = native.array_mt

--- Metatable shared by decoded objects and by `json.object` tables.
M.object_mt = native.object_mt

--- Encodes a value as JSON text.
-- @param value nil, boolean, number, string, table or `json.null`
-- @param[opt] opts `sort_keys = true` for keys in byte order;
--   `indent = true` (2 spaces) or a number of spaces for pretty output
-- @return string
-- @raise on a value JSON cannot hold, naming its key path
-- @usage json.encode({id = 1, data = {}}, {sort_keys = true})
M.encode = native.encode

--- Decodes JSON text.
-- @string text the JSON text (the whole string must be one value)
-- @param[opt] opts reserved
-- @return the value; arrays and objects carry `array_mt`/`object_mt`
-- @raise on malformed text, with the byte offset, line and column
M.decode = native.decode

--- Marks a table as a JSON array (so that an empty one stays `[]`).
-- @tparam[opt] table t the table; a new one when omitted
-- @return t
M.array = native.array

--- Marks a table as a JSON object (so that an empty one stays `{}`).
-- @tparam[opt] table t the table; a new one when omitted
-- @return t
M.object = native.object

--- Whether `encode` writes `v` as an array: a table marked as one, or an
-- unmarked non-empty sequence.
-- @return boolean
M.is_array = native.is_array

--- Whether `v` is a table that is not an array (marked or not).
-- @return boolean
function M.is_object(v)
  return type(v) == "table" and not native.is_array(v)
end

--- Whether `v` is JSON null.
-- @return boolean
function M.is_null(v)
  return v == native.null
end

--- Iterates over the elements of a file's top-level JSON array, one at
-- a time, reading the file in chunks (memory stays flat).
-- @param source a path or an open file handle (left open)
-- @return an iterator for a generic `for` (closes the file on break)
-- @raise on malformed text, with the byte offset in the file
-- @usage for task in json.reader("export.json") do ... end
M.reader = native.reader

return M
