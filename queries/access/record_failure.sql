-- One more failed login for a key, locked until $locked_until.
-- Params: $key (text), $failures (integer), $locked_until (real, unix time)
insert into login_failures (key, failures, locked_until) values ($key, $failures, $locked_until)
on conflict (key) do update set failures = excluded.failures, locked_until = excluded.locked_until
