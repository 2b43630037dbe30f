-- When each event went out (docs/reliability.md). An outcome or a completion is stored before its event is
-- published; a crash in between leaves these NULL, and the redelivered work publishes what is still NULL.

ALTER TABLE image_results ADD COLUMN published_at timestamptz NULL;
ALTER TABLE scoring_jobs ADD COLUMN completion_published_at timestamptz NULL;

-- Rows stored before this column existed had their events published right after they were stored.
UPDATE image_results SET published_at = finished_at WHERE status <> 'Pending';
UPDATE scoring_jobs SET completion_published_at = completed_at WHERE status = 'Completed';
