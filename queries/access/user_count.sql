-- How many accounts exist (none: the first 管理员 may be created with the admin password).
-- Params: none
-- Grain: one row.
select count(*) as user_count from users
