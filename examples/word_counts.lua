-- Prints, for each word given on the command line, how many of a few
-- sample text tasks contain it. Shows a workflow script requiring a
-- module of the user's own (textstats.lua, in this folder).
--
--   lsrun examples/word_counts.lua possum opossum

local textstats = require("textstats")

local tasks = {
  {data = {text = "A possum crossed the road at night."}},
  {data = {text = "The opossum is not the possum of Australia."}},
  {data = {text = "Nothing to see here."}},
}

local counts = textstats.document_frequency(tasks, "text")
for _, word in ipairs({...}) do
  print(word, counts[word:lower()] or 0)
end
