-- A successful login clears the failures of a key (its user's, and its client's: "in a row").
-- Params: $key (text)
delete from login_failures where key = $key
