-- Calibration runs (CalibrateEnsemble) are training runs of their own kind.
ALTER TABLE training_runs DROP CONSTRAINT training_runs_kind_check;
ALTER TABLE training_runs ADD CONSTRAINT training_runs_kind_check CHECK (kind IN ('Pretrain', 'Train', 'FitMeta', 'Calibrate'));
