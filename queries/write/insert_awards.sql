-- Insert rows of awards that are new (no row with their key exists) from the registered relation `incoming`.
-- Cheaper than write/upsert_awards: no existing row to look up and replace. Params: none. Relations: incoming
insert into awards by name
select * from incoming
