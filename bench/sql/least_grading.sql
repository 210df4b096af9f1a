-- The least grading must do: join every enterprise-year to its enterprise (founding year, for eligibility),
-- compute the eight ratios the method scores, and rank their sum within each year × group (the method
-- ranks a capped, weighted sum of them, with a group average standing in for a missing one).
select count(*), sum(rank_in_group)
from (
    select rank() over (
        partition by enterprise_years.year, enterprise_years.above_scale
        order by
            coalesce(tax_wan / nullif(land_mu, 0), 0)
            + coalesce(value_added_wan / nullif(land_mu, 0), 0)
            + coalesce(revenue_wan / nullif(land_mu, 0), 0)
            + coalesce(value_added_wan / nullif(energy_tce, 0), 0)
            + coalesce(value_added_wan / nullif(emission_t, 0), 0)
            + coalesce(value_added_wan / nullif(employees, 0), 0)
            + coalesce(rd_wan / nullif(revenue_wan, 0), 0)
            + coalesce(tax_wan / nullif(electricity_mwh, 0), 0)
    ) as rank_in_group
    from enterprise_years
    inner join enterprises using (credit_code)
    where enterprises.founded_year is null or enterprise_years.year >= enterprises.founded_year
)
