-- enterprises from an 企业年度数据 file: the latest year's name, town and industry per code.
-- Params: $park (varchar: the 镇街 whose enterprises are 园区企业). Relations: incoming (credit_code, year, name, town, industry)
-- Grain: one row per credit_code.
select
    credit_code,
    arg_max(name, year) as name,
    arg_max(town, year) as town,
    arg_max(industry, year) as industry,
    arg_max(town, year) = $park as in_park
from incoming
group by credit_code
