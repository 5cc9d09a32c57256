CREATE TABLE `api_keys` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(64) NOT NULL,
	`role` varchar(16) NOT NULL,
	`prefix` char(12) NOT NULL,
	`key_hash` char(64) NOT NULL,
	`sites` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`last_used_at` datetime(3),
	`revoked_at` datetime(3),
	CONSTRAINT `api_keys_id` PRIMARY KEY(`id`),
	CONSTRAINT `api_keys_prefix` UNIQUE(`prefix`),
	CONSTRAINT `api_keys_role` CHECK(role in ('viewer', 'orders', 'admin', 'metrics'))
);
