CREATE TABLE `devices` (
	`id` varchar(64) NOT NULL,
	`kind` varchar(16) NOT NULL DEFAULT 'handheld',
	`site` varchar(64) NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	`status` varchar(16) NOT NULL DEFAULT 'offline',
	`last_seen_at` datetime(3),
	`last_device_seq` bigint NOT NULL DEFAULT 0,
	CONSTRAINT `devices_id` PRIMARY KEY(`id`),
	CONSTRAINT `devices_kind` CHECK(kind in ('handheld', 'fixed'))
);
--> statement-breakpoint
CREATE TABLE `locations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`site` varchar(64) NOT NULL,
	`code` varchar(64) NOT NULL,
	`zone` varchar(32) NOT NULL DEFAULT '',
	CONSTRAINT `locations_id` PRIMARY KEY(`id`),
	CONSTRAINT `locations_site_code` UNIQUE(`site`,`code`)
);
--> statement-breakpoint
CREATE TABLE `products` (
	`id` int AUTO_INCREMENT NOT NULL,
	`sku` varchar(64) NOT NULL,
	`gtin` char(14),
	`name` varchar(200) NOT NULL,
	`unit` varchar(16) NOT NULL DEFAULT 'ea',
	`reorder_threshold` int NOT NULL DEFAULT 0,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `products_id` PRIMARY KEY(`id`),
	CONSTRAINT `products_sku_unique` UNIQUE(`sku`),
	CONSTRAINT `products_gtin_unique` UNIQUE(`gtin`)
);
--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`entity` varchar(32) NOT NULL,
	`entity_id` varchar(128) NOT NULL,
	`action` varchar(32) NOT NULL,
	`actor` varchar(64) NOT NULL,
	`reason` varchar(500),
	`before` text,
	`after` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `held_events` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`event_id` varchar(36) NOT NULL,
	`device_id` varchar(64),
	`product_id` int,
	`location_id` int,
	`reason_code` varchar(32) NOT NULL,
	`reason` varchar(500) NOT NULL,
	`payload` text NOT NULL,
	`payload_hash` char(64) NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'pending',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `held_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `held_events_event_id_unique` UNIQUE(`event_id`)
);
--> statement-breakpoint
CREATE TABLE `stock_levels` (
	`product_id` int NOT NULL,
	`location_id` int NOT NULL,
	`on_hand` int NOT NULL DEFAULT 0,
	`reserved` int NOT NULL DEFAULT 0,
	`version` bigint NOT NULL DEFAULT 0,
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `stock_levels_product_id_location_id_pk` PRIMARY KEY(`product_id`,`location_id`),
	CONSTRAINT `stock_on_hand_nonneg` CHECK(on_hand >= 0),
	CONSTRAINT `stock_reserved_nonneg` CHECK(reserved >= 0),
	CONSTRAINT `stock_reserved_le_on_hand` CHECK(reserved <= on_hand)
);
--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`event_id` varchar(36) NOT NULL,
	`leg` tinyint NOT NULL DEFAULT 0,
	`type` varchar(16) NOT NULL,
	`product_id` int NOT NULL,
	`location_id` int NOT NULL,
	`qty_delta` int NOT NULL,
	`on_hand_after` int NOT NULL,
	`device_id` varchar(64),
	`device_seq` bigint,
	`order_id` varchar(64),
	`po_number` varchar(64),
	`lot` varchar(20),
	`reason` varchar(200),
	`payload_hash` char(64),
	`triggered_by` varchar(32) NOT NULL DEFAULT 'scan',
	`scanned_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `stock_movements_id` PRIMARY KEY(`id`),
	CONSTRAINT `movements_event_leg` UNIQUE(`event_id`,`leg`)
);
--> statement-breakpoint
ALTER TABLE `held_events` ADD CONSTRAINT `held_events_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `held_events` ADD CONSTRAINT `held_events_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_levels` ADD CONSTRAINT `stock_levels_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_levels` ADD CONSTRAINT `stock_levels_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_movements` ADD CONSTRAINT `stock_movements_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `stock_movements` ADD CONSTRAINT `stock_movements_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE INDEX `held_status` ON `held_events` (`status`);--> statement-breakpoint
CREATE INDEX `movements_product_location` ON `stock_movements` (`product_id`,`location_id`);