-- Schema 4: 用电量 is held in 万千瓦时, so its column is electricity_wan_kwh (it was electricity_mwh, ten
--   times an MWh); the import ledger's saved rows (undo) are renamed with it. Data stay as they are.
-- Params: none. Run once, by plantrack.store.db.migrate, on a file whose enterprise_years has the old name.
alter table enterprise_years rename column electricity_mwh to electricity_wan_kwh;
update import_changes
set old_json = replace(old_json, '"electricity_mwh":', '"electricity_wan_kwh":')
where table_name = 'enterprise_years' and old_json is not null;
