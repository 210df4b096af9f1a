-- Store a published plan version (its ledger entry is written by write/record_publication).
-- Params: $plan_id, $version (integer), $import_id (integer), $effective_year (integer), $reason, $plan_json, $metrics_json
insert into plan_versions
values ($plan_id, $version, $import_id, $effective_year, $reason, $plan_json, $metrics_json)
