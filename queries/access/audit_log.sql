-- The audit trail, newest first.
-- Params: $limit (integer; null = all)
-- Grain: one row per entry.
select audit_id, at, actor, action, detail, client from audit order by audit_id desc limit coalesce($limit, -1)
