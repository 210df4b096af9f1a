-- The least town_indicators must do (the bench's year and line, 2025 and 5 万元/亩, written in): join one
-- year's enterprise-years to their enterprises (town, founding year) and, in one pass grouped by town, total
-- the 规上 firms' tax and land (亩均税收 is their ratio) and count the 参评 firms under the line (the
-- published grade where there is one, else the method's conditions: 用地, 税收, 规下 ≥ 3 亩, 投产满 2 年).
select
    enterprises.town,
    sum(tax_wan) filter (where above_scale and land_mu > 0),
    sum(land_mu) filter (where above_scale and land_mu > 0),
    count(*) filter (
        where coalesce(
            official_grade <> '不参评',
            land_mu > 0 and tax_wan is not null and (above_scale or land_mu >= 3)
                and (founded_year is null or year - founded_year >= 2)
        )
        and tax_wan / land_mu < 5
    )
from enterprise_years
inner join enterprises using (credit_code)
where year = 2025
group by enterprises.town
