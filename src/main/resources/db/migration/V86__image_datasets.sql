-- Image classification datasets: a dataset's task may now be image_classification. (Models and jobs keep the task
-- as text without a check: the dataset's is the one that decides what its versions hold.)
-- (drop if exists, then add: the newest migration must run again on a schema that has it, as SchemaVersionIT makes it)
alter table datasets drop constraint if exists datasets_task_check;
alter table datasets add constraint datasets_task_check
  check (task in ('text_classification', 'tabular_classification', 'tabular_regression', 'image_classification'));
