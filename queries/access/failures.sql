-- Failed logins so far for some keys ("user:NAME", "client:ADDRESS").
-- Params: $user_key (text), $client_key (text)
-- Grain: one row per key with failures.
select key, failures, locked_until from login_failures where key in ($user_key, $client_key)
