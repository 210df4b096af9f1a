-- One account by name (with its password hash, for checking a login).
-- Params: $name (text)
-- Grain: zero or one row.
select name, role, town, password_hash, disabled, created_at, updated_at from users where name = $name
