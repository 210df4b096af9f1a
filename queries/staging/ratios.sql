-- Staging: every per-enterprise-year ratio and every region ratio of totals, each written once, as macros.
-- Params: none — macros take their columns as arguments; queries keep their $named parameters.
-- Grain: definitions only. Created in the warehouse by plantrack.store.db.create_schema (every write).

-- One enterprise-year. A zero or missing denominator gives null, never a division error or infinity.
create or replace macro mu_tax(tax_wan, land_mu) as tax_wan / nullif(land_mu, 0);
create or replace macro mu_value_added(value_added_wan, land_mu) as value_added_wan / nullif(land_mu, 0);
create or replace macro mu_revenue(revenue_wan, land_mu) as revenue_wan / nullif(land_mu, 0);
create or replace macro value_added_per_energy(value_added_wan, energy_tce) as value_added_wan / nullif(energy_tce, 0);
create or replace macro value_added_per_emission(value_added_wan, emission_t) as value_added_wan / nullif(emission_t, 0);
create or replace macro labour_productivity(value_added_wan, employees) as value_added_wan / nullif(employees, 0);
create or replace macro rd_ratio_pct(rd_wan, revenue_wan) as 100 * rd_wan / nullif(revenue_wan, 0);
create or replace macro tax_per_electricity(tax_wan, electricity_wan_kwh) as tax_wan / nullif(electricity_wan_kwh, 0);
create or replace macro value_added_rate_pct(value_added_wan, output_wan) as 100 * value_added_wan / nullif(output_wan, 0);

-- A region or group (district, town, industry, the 三大工厂): the ratio of its totals, not the average of its
-- enterprises' ratios, over the enterprises that report both figures with a positive denominator. Summed
-- as exact decimals (6 places), so the result is the same bits whatever order the rows are added in.
create or replace macro ratio_of_totals(numerator, denominator) as
    sum(numerator::decimal(38, 6)) filter (where numerator is not null and denominator > 0)
    / nullif(sum(denominator::decimal(38, 6)) filter (where numerator is not null and denominator > 0), 0);
create or replace macro total_mu_tax(tax_wan, land_mu) as ratio_of_totals(tax_wan, land_mu);
create or replace macro total_mu_value_added(value_added_wan, land_mu) as ratio_of_totals(value_added_wan, land_mu);
create or replace macro total_labour_productivity(value_added_wan, employees) as ratio_of_totals(value_added_wan, employees);
create or replace macro total_rd_ratio_pct(rd_wan, revenue_wan) as 100 * ratio_of_totals(rd_wan, revenue_wan);
create or replace macro total_energy_per_value_added(energy_tce, value_added_wan) as ratio_of_totals(energy_tce, value_added_wan);
create or replace macro total_value_added_rate_pct(value_added_wan, output_wan) as 100 * ratio_of_totals(value_added_wan, output_wan);
-- growth of a total over the same enterprises' total a year earlier, in %
create or replace macro total_growth_pct(this_year, last_year) as 100 * (ratio_of_totals(this_year, last_year) - 1);
-- an exact total (万元 → 亿元 is the caller's), for the same reason as above
create or replace macro exact_sum(amount) as sum(amount::decimal(38, 6));
-- a mean that is the same bits on every run (a parallel floating-point sum is not): summed as exact
-- decimals (12 places) — the 亩均评价 group averages that stand in for a missing indicator
create or replace macro exact_avg(amount) as (sum(amount::decimal(38, 12)) / nullif(count(amount), 0))::double;
