-- Disable (or enable) an account: a disabled account cannot log in.
-- Params: $name (text), $disabled (integer 0/1), $now (text)
update users set disabled = $disabled, updated_at = $now where name = $name
