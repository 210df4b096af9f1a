-- Every account, without password hashes.
-- Params: none
-- Grain: one row per account.
select name, role, town, disabled, created_at, updated_at from users order by role, town, name
