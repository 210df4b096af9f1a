-- A new account.
-- Params: $name, $role, $town (text; null unless role 镇街), $password_hash (text), $now (text)
insert into users (name, role, town, password_hash, disabled, created_at, updated_at)
values ($name, $role, $town, $password_hash, 0, $now, $now)
