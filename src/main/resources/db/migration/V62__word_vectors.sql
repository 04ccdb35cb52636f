-- Word vectors a tenant uploads (word2vec or GloVe text format) to initialise the embeddings of text models.
-- The file is a blob; the row says what it holds.

create table word_vectors (
  id          text primary key,
  tenant_id   text not null references tenants (id) on delete cascade,
  name        text not null,
  dimensions  int not null check (dimensions > 0),
  words       bigint not null check (words > 0),
  blob_key    text not null,
  sha256      text not null,
  size_bytes  bigint not null check (size_bytes >= 0),
  created_by  text not null,
  created_at  timestamptz not null
);
create index word_vectors_tenant on word_vectors (tenant_id, id desc);

alter table word_vectors enable row level security;
alter table word_vectors force row level security;
create policy tenant_isolation on word_vectors to ${app_role}
  using (tenant_id = current_tenant_id() or acting_as_operator());
create policy schema_owner on word_vectors to current_user using (true) with check (true);
grant select, insert, delete on word_vectors to ${app_role};
