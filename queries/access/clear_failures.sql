-- A successful login clears the user's failures (the client's stay until they expire).
-- Params: $key (text)
delete from login_failures where key = $key
