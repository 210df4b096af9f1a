-- Insert rows of applications that are new (no row with their key exists) from the registered relation `incoming`.
-- Cheaper than write/upsert_applications: no existing row to look up and replace. Params: none. Relations: incoming
insert into applications by name
select * from incoming
