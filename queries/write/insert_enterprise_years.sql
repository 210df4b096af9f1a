-- Insert rows of enterprise_years that are new (no row with their key exists) from the registered relation `incoming`.
-- Cheaper than write/upsert_enterprise_years: no existing row to look up and replace. Params: none. Relations: incoming
insert into enterprise_years by name
select * from incoming
