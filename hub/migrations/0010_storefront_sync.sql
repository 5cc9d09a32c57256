CREATE TABLE `stock_changes` (
	`seq` bigint AUTO_INCREMENT NOT NULL,
	`product_id` int NOT NULL,
	`location_id` int NOT NULL,
	`on_hand` int NOT NULL,
	`reserved` int NOT NULL,
	`version` bigint NOT NULL,
	`changed_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `stock_changes_seq` PRIMARY KEY(`seq`)
);
--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` int AUTO_INCREMENT NOT NULL,
	`site` varchar(64) NOT NULL,
	`reason` varchar(16) NOT NULL,
	`skipped` boolean NOT NULL DEFAULT false,
	`skus` int NOT NULL DEFAULT 0,
	`subscriptions` int NOT NULL DEFAULT 0,
	`messages` int NOT NULL DEFAULT 0,
	`through_seq` bigint NOT NULL DEFAULT 0,
	`catalog_version` char(64),
	`requested_by` varchar(64) NOT NULL,
	`started_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`finished_at` datetime(3),
	CONSTRAINT `sync_runs_id` PRIMARY KEY(`id`),
	CONSTRAINT `sync_runs_reason` CHECK(reason in ('changed', 'fallback', 'forced'))
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`name` varchar(64) NOT NULL,
	`value` bigint NOT NULL DEFAULT 0,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sync_state_name` PRIMARY KEY(`name`)
);
--> statement-breakpoint
CREATE TABLE `webhook_messages` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`subscription_id` int NOT NULL,
	`msg_id` varchar(64) NOT NULL,
	`type` varchar(32) NOT NULL,
	`seq` bigint,
	`payload` text NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'pending',
	`attempts` smallint NOT NULL DEFAULT 0,
	`last_status` smallint,
	`last_error` varchar(500),
	`last_attempt_at` datetime(3),
	`delivered_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `webhook_messages_id` PRIMARY KEY(`id`),
	CONSTRAINT `webhook_messages_status` CHECK(status in ('pending', 'delivered', 'dead'))
);
--> statement-breakpoint
CREATE TABLE `webhook_subscriptions` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(128) NOT NULL,
	`site` varchar(64) NOT NULL,
	`url` varchar(2048) NOT NULL,
	`skus` text,
	`events` varchar(64) NOT NULL DEFAULT '["stock"]',
	`secret_sealed` varchar(255) NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'active',
	`paused_reason` varchar(500),
	`failing_since` datetime(3),
	`created_by` varchar(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `webhook_subscriptions_id` PRIMARY KEY(`id`),
	CONSTRAINT `webhook_subscriptions_status` CHECK(status in ('active', 'paused', 'deleted'))
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `client_id` varchar(64);--> statement-breakpoint
ALTER TABLE `orders` ADD `external_ref` varchar(128);--> statement-breakpoint
ALTER TABLE `orders` ADD `fulfilment` varchar(16);--> statement-breakpoint
ALTER TABLE `orders` ADD `updated_at` datetime(3) DEFAULT CURRENT_TIMESTAMP(3) NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD CONSTRAINT `orders_client_reference` UNIQUE(`client_id`,`external_ref`);--> statement-breakpoint
CREATE INDEX `stock_changes_time` ON `stock_changes` (`changed_at`);--> statement-breakpoint
CREATE INDEX `stock_changes_level` ON `stock_changes` (`product_id`,`location_id`,`seq`);--> statement-breakpoint
CREATE INDEX `sync_runs_site` ON `sync_runs` (`site`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_messages_queue` ON `webhook_messages` (`subscription_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `webhook_messages_seq` ON `webhook_messages` (`subscription_id`,`seq`);--> statement-breakpoint
CREATE INDEX `webhook_subscriptions_site` ON `webhook_subscriptions` (`site`,`status`);--> statement-breakpoint
ALTER TABLE `orders` ADD CONSTRAINT `orders_fulfilment` CHECK (fulfilment in ('picked', 'packed', 'shipped'));--> statement-breakpoint
CREATE INDEX `orders_site_created` ON `orders` (`site`,`created_at`);