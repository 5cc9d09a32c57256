CREATE TABLE `imports` (
	`id` char(36) NOT NULL,
	`kind` varchar(16) NOT NULL,
	`sha256` char(64) NOT NULL,
	`row_count` int NOT NULL,
	`actor` varchar(64) NOT NULL,
	`status` varchar(16) NOT NULL,
	`positions` text,
	`started_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`finished_at` datetime(3),
	CONSTRAINT `imports_id` PRIMARY KEY(`id`),
	CONSTRAINT `imports_status` CHECK(status in ('applying', 'applied'))
);
