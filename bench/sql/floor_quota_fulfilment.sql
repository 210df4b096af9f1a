-- The floor for quota_fulfilment: a bare scan of the honours.
select count(award), count(year) from awards
