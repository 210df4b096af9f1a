-- A new password for an account (a reset also enables it again).
-- Params: $name (text), $password_hash (text), $now (text)
update users set password_hash = $password_hash, disabled = 0, updated_at = $now where name = $name
