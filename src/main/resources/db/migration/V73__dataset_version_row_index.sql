-- Where rows start in a version's blob (every 10,000th row), so that a page of rows deep in a large version is
-- read from the nearest indexed row instead of from the start. Null for versions made before: those still scan.
alter table dataset_versions add column row_offsets bigint[];
