-- Runs busted inside lsrun, so that the specs test the shipped modules.
-- usage: lsrun spec/support/run.lua [busted options] [paths]

require("busted.runner")({standalone = false})
