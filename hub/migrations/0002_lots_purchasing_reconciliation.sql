CREATE TABLE `lot_movements` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`event_id` varchar(36) NOT NULL,
	`leg` tinyint NOT NULL DEFAULT 0,
	`lot_id` bigint NOT NULL,
	`qty_delta` int NOT NULL,
	CONSTRAINT `lot_movements_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `lots` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`product_id` int NOT NULL,
	`location_id` int NOT NULL,
	`lot_code` varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '', -- lot codes are compared exactly
	`expiry` date,
	`qty` int NOT NULL DEFAULT 0,
	`po_number` varchar(64),
	`received_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `lots_id` PRIMARY KEY(`id`),
	CONSTRAINT `lots_product_location_code` UNIQUE(`product_id`,`location_id`,`lot_code`),
	CONSTRAINT `lots_qty_nonneg` CHECK(qty >= 0)
);
--> statement-breakpoint
CREATE TABLE `po_lines` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`po_id` bigint NOT NULL,
	`product_id` int NOT NULL,
	`qty_ordered` int NOT NULL,
	`qty_received` int NOT NULL DEFAULT 0,
	CONSTRAINT `po_lines_id` PRIMARY KEY(`id`),
	CONSTRAINT `po_lines_po_product` UNIQUE(`po_id`,`product_id`),
	CONSTRAINT `po_lines_ordered_pos` CHECK(qty_ordered > 0),
	CONSTRAINT `po_lines_received_range` CHECK(qty_received >= 0 AND qty_received <= qty_ordered)
);
--> statement-breakpoint
CREATE TABLE `purchase_orders` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`po_number` varchar(64) NOT NULL,
	`site` varchar(64) NOT NULL,
	`supplier` varchar(200) NOT NULL DEFAULT '',
	`status` varchar(16) NOT NULL DEFAULT 'open',
	`expected_at` date,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `purchase_orders_id` PRIMARY KEY(`id`),
	CONSTRAINT `purchase_orders_number` UNIQUE(`po_number`),
	CONSTRAINT `purchase_orders_status` CHECK(status in ('open', 'closed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE `reconciliation_runs` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`scope` varchar(16) NOT NULL,
	`trigger` varchar(32) NOT NULL,
	`dry_run` int NOT NULL DEFAULT 0,
	`status` varchar(16) NOT NULL DEFAULT 'running',
	`products_checked` int NOT NULL DEFAULT 0,
	`rows_checked` bigint NOT NULL DEFAULT 0,
	`discrepancies` int NOT NULL DEFAULT 0,
	`corrections` int NOT NULL DEFAULT 0,
	`summary` varchar(8000),
	`error` varchar(500),
	`started_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`duration_ms` int,
	CONSTRAINT `reconciliation_runs_id` PRIMARY KEY(`id`),
	CONSTRAINT `reconciliation_runs_scope` CHECK(scope in ('incremental', 'full'))
);
--> statement-breakpoint
-- Created before the index it replaces is dropped: the product foreign key needs one of them.
CREATE INDEX `movements_level_sum` ON `stock_movements` (`product_id`,`location_id`,`created_at`,`qty_delta`);--> statement-breakpoint
DROP INDEX `movements_product_location` ON `stock_movements`;--> statement-breakpoint
DROP INDEX `held_status` ON `held_events`;--> statement-breakpoint
ALTER TABLE `held_events` ADD `decided_by` varchar(64);--> statement-breakpoint
ALTER TABLE `held_events` ADD `decided_at` datetime(3);--> statement-breakpoint
ALTER TABLE `held_events` ADD `decision_reason` varchar(500);--> statement-breakpoint
ALTER TABLE `stock_movements` ADD `voids_movement_id` bigint;--> statement-breakpoint
ALTER TABLE `stock_movements` ADD CONSTRAINT `stock_movements_voids_movement_id_unique` UNIQUE(`voids_movement_id`);--> statement-breakpoint
ALTER TABLE `lot_movements` ADD CONSTRAINT `lot_movements_lot_id_lots_id_fk` FOREIGN KEY (`lot_id`) REFERENCES `lots`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `lots` ADD CONSTRAINT `lots_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `lots` ADD CONSTRAINT `lots_location_id_locations_id_fk` FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `po_lines` ADD CONSTRAINT `po_lines_po_id_purchase_orders_id_fk` FOREIGN KEY (`po_id`) REFERENCES `purchase_orders`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `po_lines` ADD CONSTRAINT `po_lines_product_id_products_id_fk` FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `lot_movements_event` ON `lot_movements` (`event_id`,`leg`);--> statement-breakpoint
CREATE INDEX `lot_movements_lot` ON `lot_movements` (`lot_id`);--> statement-breakpoint
CREATE INDEX `lots_po` ON `lots` (`po_number`);--> statement-breakpoint
CREATE INDEX `reconciliation_runs_started` ON `reconciliation_runs` (`started_at`);--> statement-breakpoint
ALTER TABLE `held_events` ADD CONSTRAINT `held_events_status` CHECK (status in ('pending', 'approved', 'rejected'));--> statement-breakpoint
CREATE INDEX `movements_po` ON `stock_movements` (`po_number`);--> statement-breakpoint
CREATE INDEX `held_status` ON `held_events` (`status`,`id`);--> statement-breakpoint
-- Stock already on hand becomes the unnamed lot, so lots sum to on_hand from the start.
INSERT INTO `lots` (`product_id`, `location_id`, `lot_code`, `qty`) SELECT `product_id`, `location_id`, '', `on_hand` FROM `stock_levels` WHERE `on_hand` > 0;
