--- textstats: a user module, found next to the script that requires it.
-- Counts words in the text field of Label Studio tasks, the kind of
-- helper a team keeps beside its workflow scripts.
local M = {}


--- Words in a string, lower-cased, in order.
function M.words(text)
  local list = {}
  for w in tostring(text):lower():gmatch("[%w']+") do
    list[#list + 1] = w
  end
  return list
end


--- Count, over tasks, the tasks whose data[field] holds each word.
-- @return a table word -> number of tasks
function M.document_frequency(tasks, field)
  local counts = {}
  for _, task in ipairs(tasks) do
    local seen = {}
    for _, w in ipairs(M.words((task.data or task)[field] or "")) do
      if not seen[w] then
        seen[w] = true
        counts[w] = (counts[w] or 0) + 1
      end
    end
  end
  return counts
end

return M
