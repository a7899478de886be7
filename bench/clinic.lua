dofile("bench/report.lua")
-- On-demand clinic renders: every request posts a clinic name no request has used before,
-- so each one is a real layout + render, never a cache hit.
local boundary = "factsheetloadtest"
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function part(name, value)
  return "--" .. boundary .. "\r\n"
    .. 'Content-Disposition: form-data; name="' .. name .. '"\r\n\r\n'
    .. value .. "\r\n"
end

function request()
  counter = counter + 1
  local body = part("name", "Load Test Clinic " .. id .. "-" .. counter)
    .. part("phone", "+1 555 010 " .. string.format("%04d", counter % 10000))
    .. part("web", "https://clinic" .. counter .. ".example.org")
    .. "--" .. boundary .. "--\r\n"
  local headers = { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }
  return wrk.format("POST", wrk.path, headers, body)
end
