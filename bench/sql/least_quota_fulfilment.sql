-- The least quota_fulfilment must do: each 三大工厂 honour's first year per enterprise, joined to the
-- enterprise's town, counted by town × award × year.
select enterprises.town, first_awarded.award, first_awarded.year, count(*)
from (
    select credit_code, award, min(year) as year
    from awards
    where award in ('洁美工厂', '品质工厂', '示范工厂')
    group by credit_code, award
) as first_awarded
inner join enterprises using (credit_code)
group by all
