-- Every stored plan version (published from the plan template) with its ledger entry, oldest first.
-- Params: none
-- Grain: one row per plan × version.
with

ledger as (
    select
        import_id,
        file_name,
        imported_at,
        imported_by,
        outcome
    from imports
),

final as (
    select
        plan_versions.plan_id,
        plan_versions.version,
        plan_versions.import_id,
        plan_versions.effective_year,
        plan_versions.reason,
        plan_versions.plan_json,
        plan_versions.metrics_json,
        ledger.file_name,
        ledger.imported_at as published_at,
        ledger.imported_by as published_by,
        ledger.outcome = '已撤销' as undone
    from plan_versions
    inner join ledger on plan_versions.import_id = ledger.import_id
)

select * from final
order by import_id, plan_id, version
