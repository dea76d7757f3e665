-- Attempts of an operation that found its server busy on the host (another action of it running there, perhaps the same
-- change sent before, whose answer was lost): the host answered, so they do not count towards giving up, which would
-- record an outcome the host may still reach (operation/OperationWorker).
alter table operation add column busy_attempts int not null default 0;
