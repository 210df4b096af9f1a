-- Every enterprise's 统一社会信用代码 (to check award and application files against).
-- Params: none
-- Grain: one row per enterprise.
select credit_code from enterprises
