-- The rows of a generated 企业年度数据 file for the import benchmark, as the bureau's file has them.
-- Params: $rows (integer)
select
    credit_code, name, town, industry, year, above_scale, land_mu, tax_wan, value_added_wan,
    output_wan, revenue_wan, profit_wan, rd_wan, energy_tce, emission_t, electricity_wan_kwh, employees,
    official_grade
from enterprise_years
inner join enterprises using (credit_code)
order by year, credit_code
limit $rows
