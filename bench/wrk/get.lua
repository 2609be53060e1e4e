-- GET with the headers given as arguments ("Name: value" each), e.g. the API token or a session
-- cookie, and X-Forwarded-Proto as the reverse proxy of docs/deploy.md sets it.
function init(args)
  for _, h in ipairs(args) do
    local name, value = h:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
  wrk.headers["X-Forwarded-Proto"] = "https"
end
