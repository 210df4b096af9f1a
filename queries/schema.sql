-- The warehouse's tables. Money in 万元, land in 亩, energy in 吨标准煤, electricity in 万千瓦时.
-- Params: none. Idempotent: safe to run on an existing database.
-- Grain: see each table's comment.

-- key/value facts about this file: schema_version, data_kind (demo|real), demo_seed, generator_version
create table if not exists meta (
    key varchar primary key,
    value varchar
);

-- one row per 镇街/平台
create table if not exists towns (
    town varchar primary key,
    kind varchar not null,            -- 街道 | 镇 | 平台
    has_quota boolean not null,       -- carries 三大工厂 quotas (附件5)
    sort_order integer not null
);

-- one row per enterprise
create table if not exists enterprises (
    credit_code varchar primary key,  -- 统一社会信用代码, GB 32100-2015
    name varchar not null,
    town varchar not null,
    industry varchar not null,
    in_park boolean not null,
    founded_year integer
);

-- one row per enterprise × year
create table if not exists enterprise_years (
    credit_code varchar not null,
    year integer not null,
    above_scale boolean not null,     -- 规上
    land_mu double,                   -- 用地面积 (亩)
    tax_wan double,                   -- 税收实际贡献 (万元)
    value_added_wan double,           -- 工业增加值 (万元)
    output_wan double,                -- 工业总产值 (万元)
    revenue_wan double,               -- 营业收入 (万元)
    profit_wan double,                -- 利润总额 (万元)
    rd_wan double,                    -- 研发经费支出 (万元)
    energy_tce double,                -- 综合能耗 (吨标准煤)
    emission_t double,                -- 主要污染物排放量 (吨)
    electricity_wan_kwh double,       -- 用电量 (万千瓦时; named electricity_wan_kwh before schema 5)
    employees integer,                -- 年平均职工人数 (人)
    official_grade varchar,           -- 官方亩均评价档次: A|B|C|D|不参评, null = 未公布
    primary key (credit_code, year)
);

-- one row per 规上 enterprise × month, as 当月 figures (1—N月累计 is their running sum within the year);
-- a finished year's twelve months agree with enterprise_years (the import reports any difference)
create table if not exists enterprise_months (
    credit_code varchar not null,
    year integer not null,
    month integer not null,           -- 1—12
    output_wan double,                -- 当月工业总产值 (万元)
    revenue_wan double,               -- 当月营业收入 (万元)
    profit_wan double,                -- 当月利润总额 (万元, may be negative)
    tax_wan double,                   -- 当月税收 (万元, 税务)
    electricity_wan_kwh double,       -- 当月用电量 (万千瓦时, 电力)
    primary key (credit_code, year, month)
);

-- one row per enterprise × honour × year
create table if not exists awards (
    credit_code varchar not null,
    award varchar not null,
    level varchar not null,           -- 国家级 | 省级 | 市级 | 区级
    year integer not null,
    doc_no varchar,
    primary key (credit_code, award, year)
);

-- one row per 三大工厂 application: enterprise × year × category
create table if not exists applications (
    credit_code varchar not null,
    year integer not null,
    category varchar not null,        -- 洁美工厂 | 品质工厂 | 示范工厂
    score_basic double,               -- 基础管理 (30)
    score_green double,               -- 绿色制造 (15)
    score_digital double,             -- 数智赋能 (20)
    score_innovation double,          -- 科技创新 (25)
    score_brand double,               -- 品牌建设 (10)
    score_bonus double,               -- 加分项 (示范/品质 only)
    veto boolean not null default false,  -- 一票否决
    credit_rating varchar,            -- 社会信用评价: 优 | 良 | 中 | 差
    stage varchar not null,           -- 申报 | 推荐 | 初审 | 联评 | 认定 | 未通过
    failed_at varchar,                -- for 未通过: the step that stopped it (推荐 | 初审 | 联评)
    reject_reason varchar,
    primary key (credit_code, year, category)
);

-- reported figures no enterprise table can give: jurisdiction × metric × year
create table if not exists indicators (
    jurisdiction varchar not null,
    metric varchar not null,
    year integer not null,
    value double not null,
    unit varchar not null,
    source varchar,
    primary key (jurisdiction, metric, year)
);

-- grades: derived, one row per enterprise × year, rewritten from queries/derived/grading.sql by
-- plantrack.store.derived whenever the data change (meta `derived` stamps it with the grading method).
-- Created empty here so that the staging macros that read it (queries/staging/low_efficiency.sql) can be
-- defined before the first grades are computed; the columns are grading.sql's.
create table if not exists grades (
    credit_code varchar,
    year integer,
    grp varchar,
    not_graded_reason varchar,
    score double,
    score_rank bigint,
    imputed_indicators integer,
    computed_grade varchar,
    official_grade varchar,
    grade varchar,
    grade_source varchar,
    land_mu double,
    tax_wan double,
    mu_tax_wan_per_mu double
);

-- the import ledger
create table if not exists imports (
    import_id integer primary key,
    file_name varchar not null,
    sha256 varchar not null,
    kind varchar not null,
    row_count integer not null,
    imported_at timestamp not null,
    imported_by varchar,
    outcome varchar not null,
    detail varchar
);

-- what each import replaced, to undo it: old_json is the previous row (null when the import added it)
create table if not exists import_changes (
    import_id integer not null,
    table_name varchar not null,
    key_json varchar not null,
    old_json varchar
);

-- plans published from the Excel plan template, and revisions of any plan (the seeded plans are version 1,
-- in targets.toml): one row per plan × version. A version is undone when its ledger entry's outcome is
-- 已撤销; it stays here, for the history.
create table if not exists plan_versions (
    plan_id varchar not null,
    version integer not null,
    import_id integer not null,       -- its entry in imports (kind = plan): who, when, which file
    effective_year integer not null,  -- in force from this year until a later version's 生效年度
    reason varchar,                   -- 调整原因 (required for a revision)
    plan_json varchar not null,       -- the plan as published (plantrack.model.targets.Plan)
    metrics_json varchar not null,    -- the reported indicators it declares ({id: Metric})
    primary key (plan_id, version)
);
