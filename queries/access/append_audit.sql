-- One entry of the audit trail.
-- Params: $at (text), $actor (text), $action (text), $detail (text, JSON), $client (text)
insert into audit (at, actor, action, detail, client) values ($at, $actor, $action, $detail, $client)
