-- Insert rows of indicators that are new (no row with their key exists) from the registered relation `incoming`.
-- Cheaper than write/upsert_indicators: no existing row to look up and replace. Params: none. Relations: incoming
insert into indicators by name
select * from incoming
