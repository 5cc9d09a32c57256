CREATE TABLE `screen_pairings` (
	`code` char(8) NOT NULL,
	`claim_hash` char(64) NOT NULL,
	`sealed_key` varchar(255),
	`api_key_id` int,
	`expires_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `screen_pairings_code` PRIMARY KEY(`code`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` char(64) NOT NULL,
	`user_id` int,
	`data` text NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sessions_id_hash` PRIMARY KEY(`id_hash`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int AUTO_INCREMENT NOT NULL,
	`username` varchar(64) NOT NULL,
	`display_name` varchar(128) NOT NULL,
	`role` varchar(16) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`sites` text,
	`active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`password_changed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`last_sign_in_at` datetime(3),
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_username` UNIQUE(`username`),
	CONSTRAINT `users_role` CHECK(role in ('viewer', 'supervisor', 'admin'))
);
--> statement-breakpoint
ALTER TABLE `api_keys` ADD `kind` varchar(16) DEFAULT 'api' NOT NULL;--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expiry` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `audit_actor` ON `audit_log` (`actor`,`created_at`);--> statement-breakpoint
CREATE INDEX `audit_time` ON `audit_log` (`created_at`);