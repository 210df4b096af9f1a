-- An enabled account by name (for a login by the bureau's identity provider: the role comes from here).
-- Params: $name (text)
-- Grain: zero or one row.
select name, role, town from users where name = $name and disabled = 0
