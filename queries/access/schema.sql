-- Accounts and the audit trail, in their own SQLite file beside the warehouse (data/accounts.sqlite3):
-- they must survive imports (which replace the warehouse file) and `rebuild`, and every app process
-- writes logins here at once, which SQLite's locking allows and a DuckDB file held read-write does not.
create table if not exists users (
    name text primary key,
    role text not null,
    town text,
    password_hash text not null,  -- argon2id; never the password
    disabled integer not null default 0,
    created_at text not null,
    updated_at text not null
);

-- failed logins per key ("user:NAME" or "client:ADDRESS"): lockout with backoff
create table if not exists login_failures (
    key text primary key,
    failures integer not null,
    locked_until real not null  -- unix time
);

-- append-only: rows are never changed or removed (the triggers refuse it)
create table if not exists audit (
    audit_id integer primary key autoincrement,
    at text not null,
    actor text,
    action text not null,
    detail text,  -- JSON
    client text
);

create trigger if not exists audit_no_update before update on audit
begin
    select raise(abort, 'audit is append-only');
end;

create trigger if not exists audit_no_delete before delete on audit
begin
    select raise(abort, 'audit is append-only');
end;
