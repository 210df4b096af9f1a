-- Insert rows of enterprise_months that are new (no row with their key exists) from the registered relation
-- `incoming`. Cheaper than write/upsert_enterprise_months. Params: none. Relations: incoming
insert into enterprise_months by name
select * from incoming
